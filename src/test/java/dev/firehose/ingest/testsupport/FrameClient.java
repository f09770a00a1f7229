package dev.firehose.ingest.testsupport;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A websocket client (Vert.x, its own instance) that collects messages, for testing {@link TestRelay} (binary
 * messages) and {@link TestJetstream} (text messages, or binary ones with {@code compress=true}); a text message is
 * kept as its UTF-8 bytes, and {@link #binaryFlags()} tells which was which. Connected paused it reads only when asked: {@link #request(long)} fetches
 * messages, {@link #readFreely()} resumes, so a test can play a slow or stalled consumer
 * (a paused Vert.x websocket stops reading the socket once its small inbound queue is full).
 * <p>
 * Why not java.net.http.WebSocket: under CPU load the JDK 17 client now and then stopped
 * delivering after its first 16 KiB read (17 of 300 frames) while the relay kept sending.
 */
public final class FrameClient implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final List<byte[]> messages = new ArrayList<>();
    private final List<Boolean> binary = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Vertx vertx = Vertx.vertx();
    private final WebSocket socket;
    private volatile boolean closing;

    private FrameClient(String url, boolean paused, Runnable afterConnectStarted) {
        URI uri = URI.create(url);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_MESSAGE_BYTES)
                .setMaxMessageSize(MAX_MESSAGE_BYTES));
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort())
                .setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        CompletableFuture<WebSocket> connected = new CompletableFuture<>();
        // The callback form: Vert.x calls it on the socket's event loop as the handshake completes, before any
        // frame is read. A listener added to connect(options)'s future once the handshake is done (this thread
        // descheduled a few ms, as in a loaded suite) runs later, and the frames read meanwhile went to no handler:
        // lost, which looked like a stalled relay (115 of 180 frames).
        client.connect(options, result -> {
            if (result.failed()) {
                connected.completeExceptionally(result.cause());
                return;
            }
            WebSocket ws = result.result();
            if (paused) {
                ws.pause(); // before any message is handled: this callback runs on the socket's event loop
            }
            ws.binaryMessageHandler(buffer -> add(buffer.getBytes(), true));
            ws.textMessageHandler(text -> add(text.getBytes(StandardCharsets.UTF_8), false));
            ws.closeHandler(v -> closed.countDown());
            ws.exceptionHandler(e -> { });
            connected.complete(ws);
        });
        afterConnectStarted.run();
        try {
            socket = connected.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot connect to " + url, e);
        }
    }

    private void add(byte[] message, boolean isBinary) {
        if (!closing) {
            synchronized (this) {
                messages.add(message);
                binary.add(isBinary);
            }
        }
    }

    /** Reads everything as it comes. */
    public static FrameClient connect(String url) {
        return new FrameClient(url, false, () -> { });
    }

    /** {@link #connect(String)}, running {@code afterConnectStarted} on this thread once the connect is under way. */
    static FrameClient connect(String url, Runnable afterConnectStarted) {
        return new FrameClient(url, false, afterConnectStarted);
    }

    /** Reads nothing until {@link #request(long)} or {@link #readFreely()}. */
    public static FrameClient connectPaused(String url) {
        return new FrameClient(url, true, () -> { });
    }

    /** Let {@code n} more messages in (the relay sends one frame per websocket frame). */
    public void request(long n) {
        socket.fetch(n);
    }

    public void readFreely() {
        socket.resume();
    }

    public synchronized List<byte[]> messages() {
        return new ArrayList<>(messages);
    }

    /** For each message in {@link #messages()}: true if it came as a binary websocket message, false for text. */
    public synchronized List<Boolean> binaryFlags() {
        return new ArrayList<>(binary);
    }

    public synchronized int messageCount() {
        return messages.size();
    }

    /** Wait until at least {@code count} messages arrived; false on timeout. */
    public boolean awaitAtLeast(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messageCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return messageCount() >= count;
    }

    /** Wait until {@code count} messages arrived (or the timeout); returns the count then. */
    public int awaitMessages(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messageCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return messageCount();
    }

    /** True once the websocket is closed (by the server, in the tests that use it). */
    public boolean awaitClosedByServer(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closing = true;
        socket.resume(); // a paused socket could not read the server's close reply
        try {
            socket.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // already closed by the server
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort
        }
    }
}
