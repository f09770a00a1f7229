package dev.firehose.ingest.testsupport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Bluesky Jetstream (v1 {@code /subscribe}) websocket server on 127.0.0.1 (Vert.x, its own instance) serving
 * {@link JetstreamWireEvent}s, e.g. a {@link JetstreamCorpus}, one event per websocket message, in list order; then
 * the connection stays open and gets events {@link #append appended} later. Jetstream's semantics, from its
 * {@code internal/subscribe} package (doc.go, cursor.go, filter.go, handler.go):
 * <ul>
 *   <li>{@code cursor=<time_us>}: the events with {@code time_us >= cursor} (inclusive: a reconnect with the last
 *       seen {@code time_us} gets that event again). Not a non-negative integer: HTTP 400.</li>
 *   <li>{@code wantedCollections} (repeatable): commits in those collections (NSIDs, or prefixes like
 *       {@code app.bsky.graph.*}); identity and account events always pass. A bad value, or more than 100: HTTP 400.</li>
 *   <li>{@code compress=true}: binary messages, each one zstd frame made with Jetstream's dictionary; otherwise text
 *       messages holding the JSON.</li>
 *   <li>No cursor: every event from the first (a test convenience, as {@link TestRelay}). Jetstream itself starts at
 *       the live tip then, and also for a cursor later than now: {@link #liveTail(boolean)} does that.</li>
 * </ul>
 * Fault switches and counters come from {@link WebSocketStreamServer}: {@link #setRate pacing},
 * {@link #closeEvery close every N events}, {@link #goSilent silence}, {@link #stallEvery stall a connection},
 * {@link #closeAllConnections()}, {@link #requestedCursors()}, {@link #requestedQueries()}. Not implemented:
 * {@code wantedDids}, {@code maxMessageSizeBytes}, {@code requireHello} and options updates, the
 * {@code Socket-Encoding: zstd} header, permessage-deflate.
 */
public final class TestJetstream extends WebSocketStreamServer<JetstreamWireEvent, TestJetstream> {

    public static final String PATH = "/subscribe";

    private volatile boolean liveTail;
    private final AtomicInteger compressedConnections = new AtomicInteger();

    private TestJetstream(List<JetstreamWireEvent> events) {
        super(PATH, events);
    }

    public static TestJetstream start(List<JetstreamWireEvent> events) {
        return new TestJetstream(events).listen();
    }

    @Override
    protected Subscription<JetstreamWireEvent> subscribe(ServerWebSocket ws) {
        String cursorParam = queryParam(ws.query(), "cursor");
        Long cursor;
        try {
            cursor = cursorParam == null || cursorParam.isEmpty() ? null : Long.parseLong(cursorParam);
        } catch (NumberFormatException e) {
            cursor = -1L;
        }
        WantedCollections collections = WantedCollections.parse(queryParams(ws.query(), "wantedCollections"));
        if ((cursor != null && cursor < 0) || collections == null) {
            ws.reject(400);
            return null;
        }
        boolean compressed = "true".equals(queryParam(ws.query(), "compress"));
        if (compressed) {
            compressedConnections.incrementAndGet();
        }
        // Jetstream: no cursor, or one from the future, is the live tail
        boolean live = liveTail && (cursor == null || cursor > System.currentTimeMillis() * 1000);
        Long from = live ? null : cursor;
        return new Subscription<>() {
            @Override
            public boolean wants(JetstreamWireEvent event) {
                return (from == null || event.timeUs() >= from) && collections.wants(event);
            }

            @Override
            public void send(ServerWebSocket socket, JetstreamWireEvent event) {
                if (compressed) {
                    socket.writeBinaryMessage(Buffer.buffer(event.zstd()));
                } else {
                    socket.writeTextMessage(new String(event.json(), StandardCharsets.UTF_8));
                }
            }

            @Override
            public boolean replay() {
                return !live;
            }
        };
    }

    /**
     * Jetstream's own start (off by default): a connection without a cursor, or with one later than the wall clock,
     * gets only the events appended after its handshake.
     */
    public TestJetstream liveTail(boolean live) {
        this.liveTail = live;
        return this;
    }

    /** Connections that asked for {@code compress=true}. */
    public int compressedConnections() {
        return compressedConnections.get();
    }

    /** Events in the list (served or not). */
    public int eventCount() {
        return frameCount();
    }
}
