package dev.firehose.ingest.testsupport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 * A real websocket server on 127.0.0.1 (Vert.x, its own instance) that streams a list of items, one websocket message
 * each, in list order, to every connection on one path: what {@link TestRelay} and {@link TestJetstream} share. What
 * a connection gets (which items, how each is written, a preamble) is the subclass' {@link Subscription}; after the
 * replay a connection stays open and gets the items {@link #append appended} later.
 * <p>
 * Sending respects websocket backpressure ({@code writeQueueFull()} + {@code drainHandler}): it sends as fast as the
 * client reads and never queues the replay in memory. Fault switches: {@link #setRate pacing},
 * {@link #closeEvery close every N messages}, {@link #goSilent silence}, {@link #stallEvery stall a connection after N
 * messages}, {@link #closeAllConnections()}. Counters and the requests' {@code cursor}s are recorded for assertions.
 * "Frame" below means one websocket message.
 *
 * @param <T> the items streamed
 * @param <S> the subclass, returned by the fluent switches
 */
public abstract class WebSocketStreamServer<T, S extends WebSocketStreamServer<T, S>> implements AutoCloseable {

    /** Websocket frame and message limit: relay commits and Jetstream events can approach a few MB. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** What one connection is served; made by {@link #subscribe} from its handshake. */
    protected interface Subscription<T> {
        /** Whether the connection gets this item (cursor, filters). */
        boolean wants(T item);

        /** Writes one item as one websocket message. */
        void send(ServerWebSocket ws, T item);

        /** Before the first item, on the connection's event loop; false if it closed the connection. */
        default boolean start(ServerWebSocket ws) {
            return true;
        }

        /** True to replay the list from its start; false for only the items appended after the handshake. */
        default boolean replay() {
            return true;
        }
    }

    private final String path;
    protected final Vertx vertx = Vertx.vertx();
    private HttpServer server;
    private final List<T> items;
    private final List<String> requestedCursors = new CopyOnWriteArrayList<>();
    private final List<String> requestedQueries = new CopyOnWriteArrayList<>();
    private final List<Long> connectedAtNanos = new CopyOnWriteArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger maxConcurrentConnections = new AtomicInteger();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong firstFrameSentNanos = new AtomicLong();
    private final AtomicInteger stalledConnections = new AtomicInteger();
    private volatile long lastFrameSentNanos;
    private volatile int rate;
    private volatile int closeEvery;
    private volatile boolean silent;
    private volatile int stallEvery;

    protected WebSocketStreamServer(String path, List<T> items) {
        this.path = path;
        this.items = new CopyOnWriteArrayList<>(items);
    }

    /**
     * Accepts a handshake to the path: the connection's subscription, or null after rejecting it
     * ({@code ws.reject(status)}); a rejected handshake is not counted.
     */
    protected abstract Subscription<T> subscribe(ServerWebSocket ws);

    /** Starts listening on a free port of 127.0.0.1; the subclass' factory calls it once it is constructed. */
    protected final S listen() {
        server = vertx.createHttpServer(new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setMaxWebSocketFrameSize(MAX_MESSAGE_BYTES)
                .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES));
        server.webSocketHandler(this::accept);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException(getClass().getSimpleName() + " did not start", e);
        }
        return self();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    private void accept(ServerWebSocket ws) {
        if (!path.equals(ws.path())) {
            ws.reject(404);
            return;
        }
        Subscription<T> subscription = subscribe(ws);
        if (subscription == null) {
            return;
        }
        requestedCursors.add(queryParam(ws.query(), "cursor"));
        requestedQueries.add(ws.query() == null ? "" : ws.query());
        connectedAtNanos.add(System.nanoTime());
        connectionCount.incrementAndGet();
        int open = openConnections.incrementAndGet();
        maxConcurrentConnections.accumulateAndGet(open, Math::max);
        Connection connection = new Connection(ws, vertx.getOrCreateContext(), subscription);
        connections.add(connection);
        ws.closeHandler(v -> {
            connection.closed = true;
            if (connections.remove(connection)) {
                openConnections.decrementAndGet();
            }
        });
        ws.exceptionHandler(e -> { }); // a client going away mid-write is normal here
        if (!subscription.start(ws)) {
            connection.closed = true;
            return;
        }
        connection.pump();
    }

    /** One client connection; all its fields are touched on its own event loop only. */
    private final class Connection {
        final ServerWebSocket ws;
        final Context context;
        final Subscription<T> subscription;
        int next;
        long sent;
        int pacedRate;
        long pacingStartNanos;
        long pacedSent;
        boolean timerPending;
        boolean stalled;
        volatile boolean closed;

        Connection(ServerWebSocket ws, Context context, Subscription<T> subscription) {
            this.ws = ws;
            this.context = context;
            this.subscription = subscription;
            this.next = subscription.replay() ? 0 : items.size();
        }

        void pumpLater() {
            context.runOnContext(v -> pump());
        }

        void pump() {
            while (!closed && !silent && !stalled && next < items.size()) {
                if (ws.writeQueueFull()) {
                    ws.drainHandler(v -> pump());
                    return;
                }
                T item = items.get(next);
                if (!subscription.wants(item)) {
                    next++;
                    continue;
                }
                if (!paced()) {
                    return;
                }
                next++;
                subscription.send(ws, item);
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

    /** The first value of a query parameter, URL-decoded; "" for a bare name, null when absent. */
    protected static String queryParam(String query, String name) {
        List<String> values = queryParams(query, name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a (repeatable) query parameter, URL-decoded, in order. */
    protected static List<String> queryParams(String query, String name) {
        List<String> values = new ArrayList<>(1);
        if (query == null) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    public String url() {
        return "ws://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.actualPort();
    }

    /** The {@code cursor} query parameter of each accepted connection, in order; null where absent. */
    public List<String> requestedCursors() {
        return Collections.unmodifiableList(new ArrayList<>(requestedCursors)); // List.copyOf refuses the nulls
    }

    /** The raw query string of each accepted connection, in order; "" where there was none. */
    public List<String> requestedQueries() {
        return List.copyOf(requestedQueries);
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

    /** Items in the list (served or not). */
    public int frameCount() {
        return items.size();
    }

    /** The item at {@code index} of the list. */
    protected final T item(int index) {
        return items.get(index);
    }

    /** New live items: kept for later connections and pushed to the open ones. */
    public void append(List<T> newItems) {
        items.addAll(newItems);
        connections.forEach(Connection::pumpLater);
    }

    /** Pace every connection to {@code framesPerSecond} (0 = as fast as the client reads). */
    public S setRate(int framesPerSecond) {
        this.rate = framesPerSecond;
        connections.forEach(Connection::pumpLater);
        return self();
    }

    /** Close each connection after every {@code n} frames sent on it (0 = never). */
    public S closeEvery(int n) {
        this.closeEvery = n;
        return self();
    }

    /** Keep connections open but send nothing (true), or carry on sending (false). */
    public S goSilent(boolean silent) {
        this.silent = silent;
        if (!silent) {
            connections.forEach(Connection::pumpLater);
        }
        return self();
    }

    /**
     * Stop sending on a connection, without closing it, after every {@code n} frames sent on it (0 = never); the
     * connection stays open (it still answers a websocket close) and silent; later connections are served again.
     */
    public S stallEvery(int n) {
        this.stallEvery = n;
        return self();
    }

    /** Connections stalled by {@link #stallEvery} so far. */
    public int stalledConnections() {
        return stalledConnections.get();
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
            throw new IllegalStateException(getClass().getSimpleName() + " did not stop", e);
        }
    }
}
