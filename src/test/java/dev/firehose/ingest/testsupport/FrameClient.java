package dev.firehose.ingest.testsupport;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A plain JDK websocket client that collects binary messages, for testing {@link TestRelay}.
 * Reads only when asked: {@link #request(long)} grants demand, {@link #readFreely()} removes the limit,
 * so a test can play a slow or stalled consumer.
 */
public final class FrameClient implements AutoCloseable {

    private final List<byte[]> messages = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final WebSocket socket;

    private FrameClient(String url, long initialDemand) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new Listener(initialDemand))
                .join();
    }

    /** Reads everything as it comes. */
    public static FrameClient connect(String url) {
        return new FrameClient(url, Long.MAX_VALUE);
    }

    /** Reads nothing until {@link #request(long)} or {@link #readFreely()}. */
    public static FrameClient connectPaused(String url) {
        return new FrameClient(url, 0);
    }

    public void request(long n) {
        socket.request(n);
    }

    public void readFreely() {
        socket.request(Long.MAX_VALUE);
    }

    public synchronized List<byte[]> messages() {
        return new ArrayList<>(messages);
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

    /** Wait until exactly {@code count} messages arrived (or the timeout); returns the count. */
    public int awaitMessages(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messageCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return messageCount();
    }

    public boolean awaitClosedByServer(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final long initialDemand;
        private ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Listener(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (initialDemand > 0) {
                webSocket.request(initialDemand);
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (!last) {
                webSocket.request(1); // demand counts whole messages: fetch the rest of this one
            } else {
                synchronized (FrameClient.this) {
                    messages.add(partial.toByteArray());
                }
                partial = new ByteArrayOutputStream();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.countDown();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.countDown();
        }
    }
}
