package dev.firehose.ingest.testsupport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real websocket relay for {@code com.atproto.sync.subscribeRepos} on 127.0.0.1 (Vert.x, its own
 * instance). Relay semantics: a connection with {@code ?cursor=N} gets every frame with seq &gt; N,
 * in list order; without a cursor it gets every frame; then it stays open and gets frames
 * {@link #append appended} later. One frame = one binary websocket message.
 * <p>
 * Sending respects websocket backpressure ({@code writeQueueFull()} + {@code drainHandler}): it
 * sends as fast as the client reads and never queues the replay in memory.
 * Fault switches: {@link #setRate pacing}, {@link #closeEvery close every N frames},
 * {@link #goSilent silence}, {@link #stallEvery stall a connection after N frames}, {@link #closeAllConnections()}.
 * <p>
 * Opt-in {@link #enforceCursorBounds real relay cursor handling}: a cursor older than the oldest frame gets an
 * {@code #info OutdatedCursor} frame and the replay from the oldest frame; a cursor beyond the newest frame gets
 * a {@code FutureCursor} error frame and the connection is closed.
 */
public final class TestRelay implements AutoCloseable {

    public static final String PATH = "/xrpc/com.atproto.sync.subscribeRepos";
    /** Real relays send a frame as one websocket frame; commits can approach a few MB. */
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final Vertx vertx;
    private final HttpServer server;
    private final List<RelayFrame> frames;
    private final List<String> requestedCursors = new CopyOnWriteArrayList<>();
    private final List<Long> connectedAtNanos = new CopyOnWriteArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger maxConcurrentConnections = new AtomicInteger();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong firstFrameSentNanos = new AtomicLong();
    private volatile long lastFrameSentNanos;
    private volatile int rate;
    private volatile int closeEvery;
    private volatile boolean silent;
    private volatile int stallEvery;
    private volatile boolean enforceCursorBounds;
    private final AtomicInteger stalledConnections = new AtomicInteger();
    private final AtomicInteger outdatedCursorInfosSent = new AtomicInteger();
    private final AtomicInteger futureCursorErrorsSent = new AtomicInteger();

    private TestRelay(Vertx vertx, HttpServer server, List<RelayFrame> frames) {
        this.vertx = vertx;
        this.server = server;
        this.frames = frames;
    }

    public static TestRelay start(List<RelayFrame> frames) {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setMaxWebSocketFrameSize(MAX_FRAME_BYTES)
                .setMaxWebSocketMessageSize(MAX_FRAME_BYTES));
        TestRelay relay = new TestRelay(vertx, server, new CopyOnWriteArrayList<>(frames));
        server.webSocketHandler(relay::accept);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("relay did not start", e);
        }
        return relay;
    }

    private void accept(ServerWebSocket ws) {
        if (!PATH.equals(ws.path())) {
            ws.reject(404);
            return;
        }
        String cursorParam = queryParam(ws.query(), "cursor");
        Long cursor;
        try {
            cursor = cursorParam == null ? null : Long.parseLong(cursorParam);
        } catch (NumberFormatException e) {
            ws.reject(400);
            return;
        }
        requestedCursors.add(cursorParam);
        connectedAtNanos.add(System.nanoTime());
        connectionCount.incrementAndGet();
        int open = openConnections.incrementAndGet();
        maxConcurrentConnections.accumulateAndGet(open, Math::max);
        Connection connection = new Connection(ws, vertx.getOrCreateContext(), cursor);
        connections.add(connection);
        ws.closeHandler(v -> {
            connection.closed = true;
            if (connections.remove(connection)) {
                openConnections.decrementAndGet();
            }
        });
        ws.exceptionHandler(e -> { }); // a client going away mid-write is normal here
        if (enforceCursorBounds && cursor != null && !frames.isEmpty()) {
            long oldest = frames.get(0).seq();
            long newest = frames.get(frames.size() - 1).seq();
            if (cursor > newest) {
                futureCursorErrorsSent.incrementAndGet();
                connection.closed = true;
                ws.writeBinaryMessage(Buffer.buffer(errorFrame("FutureCursor",
                        "cursor " + cursor + " is beyond the latest seq " + newest)));
                ws.close();
                return;
            }
            if (cursor < oldest - 1) {
                outdatedCursorInfosSent.incrementAndGet();
                ws.writeBinaryMessage(Buffer.buffer(infoFrame("OutdatedCursor",
                        "requested cursor " + cursor + " is older than the oldest seq " + oldest)));
            }
        }
        connection.pump();
    }

    /** An error frame as relays send it: header {@code {op: -1}}, body {@code {error, message}}. */
    public static byte[] errorFrame(String error, String message) {
        com.fasterxml.jackson.databind.node.JsonNodeFactory json =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        return FrameBuilder.frame(json.objectNode().put("op", -1),
                json.objectNode().put("error", error).put("message", message));
    }

    /** An {@code #info} frame: header {@code {op: 1, t: "#info"}}, body {@code {name, message}}. */
    public static byte[] infoFrame(String name, String message) {
        return FrameBuilder.frame(FrameBuilder.header("#info"),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        .put("name", name).put("message", message));
    }

    /** One client connection; all its fields are touched on its own event loop only. */
    private final class Connection {
        final ServerWebSocket ws;
        final Context context;
        final Long cursor;
        int next;
        long sent;
        int pacedRate;
        long pacingStartNanos;
        long pacedSent;
        boolean timerPending;
        boolean stalled;
        volatile boolean closed;

        Connection(ServerWebSocket ws, Context context, Long cursor) {
            this.ws = ws;
            this.context = context;
            this.cursor = cursor;
        }

        void pumpLater() {
            context.runOnContext(v -> pump());
        }

        void pump() {
            while (!closed && !silent && !stalled && next < frames.size()) {
                if (ws.writeQueueFull()) {
                    ws.drainHandler(v -> pump());
                    return;
                }
                RelayFrame frame = frames.get(next);
                if (cursor != null && frame.seq() <= cursor) {
                    next++;
                    continue;
                }
                if (!paced()) {
                    return;
                }
                next++;
                ws.writeBinaryMessage(Buffer.buffer(frame.bytes()));
                sent++;
                pacedSent++;
                long now = System.nanoTime();
                firstFrameSentNanos.compareAndSet(0, now);
                lastFrameSentNanos = now;
                framesSent.incrementAndGet();
                int every = closeEvery;
                if (every > 0 && sent % every == 0) {
                    closed = true;
                    ws.close();
                    return;
                }
                int stall = stallEvery;
                if (stall > 0 && sent % stall == 0) {
                    // Half-dead connection: open, but nothing more is sent on it (a new connection is served).
                    stalled = true;
                    stalledConnections.incrementAndGet();
                    return;
                }
            }
        }

        /** With a rate set, true if the connection may send now; otherwise a timer re-pumps. */
        private boolean paced() {
            int framesPerSecond = rate;
            if (framesPerSecond <= 0) {
                return true;
            }
            long now = System.nanoTime();
            if (pacedRate != framesPerSecond) { // (re)start pacing from here at the new rate
                pacedRate = framesPerSecond;
                pacingStartNanos = now;
                pacedSent = 0;
            }
            long allowed = (now - pacingStartNanos) * framesPerSecond / 1_000_000_000L + 1;
            if (pacedSent < allowed) {
                return true;
            }
            if (!timerPending) {
                timerPending = true;
                long waitNanos = (pacedSent * 1_000_000_000L / framesPerSecond) - (now - pacingStartNanos);
                vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), id -> {
                    timerPending = false;
                    pump();
                });
            }
            return false;
        }
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    public String url() {
        return "ws://127.0.0.1:" + port() + PATH;
    }

    public int port() {
        return server.actualPort();
    }

    /** The {@code cursor} query parameter of each connection, in order; null where absent. */
    public List<String> requestedCursors() {
        return Collections.unmodifiableList(new ArrayList<>(requestedCursors));
    }

    /** {@link System#nanoTime()} at which each connection was accepted, in order. */
    public List<Long> connectedAtNanos() {
        return Collections.unmodifiableList(new ArrayList<>(connectedAtNanos));
    }

    public int connectionCount() {
        return connectionCount.get();
    }

    public int openConnections() {
        return openConnections.get();
    }

    public int maxConcurrentConnections() {
        return maxConcurrentConnections.get();
    }

    /** Frames handed to websockets so far, over all connections. */
    public long framesSent() {
        return framesSent.get();
    }

    /** {@link System#nanoTime()} of the first frame sent, 0 if none yet. */
    public long firstFrameSentNanos() {
        return firstFrameSentNanos.get();
    }

    /** {@link System#nanoTime()} of the latest frame sent, 0 if none yet. */
    public long lastFrameSentNanos() {
        return lastFrameSentNanos;
    }

    public int frameCount() {
        return frames.size();
    }

    /** New live frames: kept for later connections and pushed to the open ones. */
    public void append(List<RelayFrame> newFrames) {
        frames.addAll(newFrames);
        connections.forEach(Connection::pumpLater);
    }

    /** Pace every connection to {@code framesPerSecond} (0 = as fast as the client reads). */
    public TestRelay setRate(int framesPerSecond) {
        this.rate = framesPerSecond;
        connections.forEach(Connection::pumpLater);
        return this;
    }

    /** Close each connection after every {@code n} frames sent on it (0 = never). */
    public TestRelay closeEvery(int n) {
        this.closeEvery = n;
        return this;
    }

    /** Keep connections open but send nothing (true), or carry on sending (false). */
    public TestRelay goSilent(boolean silent) {
        this.silent = silent;
        if (!silent) {
            connections.forEach(Connection::pumpLater);
        }
        return this;
    }

    /**
     * Stop sending on a connection, without closing it, after every {@code n} frames sent on it (0 = never); the
     * connection stays open (it still answers a websocket close) and silent; later connections are served again.
     */
    public TestRelay stallEvery(int n) {
        this.stallEvery = n;
        return this;
    }

    /** Connections stalled by {@link #stallEvery} so far. */
    public int stalledConnections() {
        return stalledConnections.get();
    }

    /**
     * Real relay cursor handling (off by default): a {@code ?cursor=} below the oldest frame's seq - 1 gets an
     * {@code #info} {@code OutdatedCursor} frame, then every frame from the oldest; a cursor above the newest
     * frame's seq gets a {@code FutureCursor} error frame ({@code op: -1}) and the connection is closed.
     */
    public TestRelay enforceCursorBounds(boolean enforce) {
        this.enforceCursorBounds = enforce;
        return this;
    }

    public int outdatedCursorInfosSent() {
        return outdatedCursorInfosSent.get();
    }

    public int futureCursorErrorsSent() {
        return futureCursorErrorsSent.get();
    }

    /** Close every open connection (a normal websocket close) and wait until they are gone. */
    public void closeAllConnections() {
        List<Future<Void>> closing = new ArrayList<>();
        for (Connection connection : connections) {
            connection.closed = true;
            closing.add(Future.future(promise -> connection.context.runOnContext(v ->
                    connection.ws.close().otherwiseEmpty().onComplete(promise))));
        }
        try {
            Future.join(closing).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("connections did not close", e);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (openConnections.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("relay did not stop", e);
        }
    }
}
