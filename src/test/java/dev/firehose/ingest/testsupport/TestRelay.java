package dev.firehose.ingest.testsupport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real websocket relay for {@code com.atproto.sync.subscribeRepos} on 127.0.0.1 (Vert.x, its own
 * instance). Relay semantics: a connection with {@code ?cursor=N} gets every frame with seq &gt; N,
 * in list order; without a cursor it gets every frame; then it stays open and gets frames
 * {@link #append appended} later. One frame = one binary websocket message.
 * <p>
 * Sending respects websocket backpressure ({@code writeQueueFull()} + {@code drainHandler}): it
 * sends as fast as the client reads and never queues the replay in memory.
 * Fault switches: {@link #setRate pacing}, {@link #closeEvery close every N frames},
 * {@link #goSilent silence}, {@link #stallEvery stall a connection after N frames}, {@link #closeAllConnections()}
 * (all from {@link WebSocketStreamServer}, shared with {@link TestJetstream}).
 * <p>
 * Opt-in {@link #enforceCursorBounds real relay cursor handling}: a cursor older than the oldest frame gets an
 * {@code #info OutdatedCursor} frame and the replay from the oldest frame; a cursor beyond the newest frame gets
 * a {@code FutureCursor} error frame and the connection is closed.
 */
public final class TestRelay extends WebSocketStreamServer<RelayFrame, TestRelay> {

    public static final String PATH = "/xrpc/com.atproto.sync.subscribeRepos";

    private volatile boolean enforceCursorBounds;
    private final AtomicInteger outdatedCursorInfosSent = new AtomicInteger();
    private final AtomicInteger futureCursorErrorsSent = new AtomicInteger();

    private TestRelay(List<RelayFrame> frames) {
        super(PATH, frames);
    }

    public static TestRelay start(List<RelayFrame> frames) {
        return new TestRelay(frames).listen();
    }

    @Override
    protected Subscription<RelayFrame> subscribe(ServerWebSocket ws) {
        String cursorParam = queryParam(ws.query(), "cursor");
        Long cursor;
        try {
            cursor = cursorParam == null ? null : Long.parseLong(cursorParam);
        } catch (NumberFormatException e) {
            ws.reject(400);
            return null;
        }
        return new Subscription<>() {
            @Override
            public boolean wants(RelayFrame frame) {
                return cursor == null || frame.seq() > cursor;
            }

            @Override
            public void send(ServerWebSocket socket, RelayFrame frame) {
                socket.writeBinaryMessage(Buffer.buffer(frame.bytes()));
            }

            @Override
            public boolean start(ServerWebSocket socket) {
                return !enforceCursorBounds || cursor == null || cursorWithinBounds(socket, cursor);
            }
        };
    }

    /** Real relay cursor handling: false if the connection was closed for a future cursor. */
    private boolean cursorWithinBounds(ServerWebSocket ws, long cursor) {
        if (frameCount() == 0) {
            return true;
        }
        long oldest = item(0).seq();
        long newest = item(frameCount() - 1).seq();
        if (cursor > newest) {
            futureCursorErrorsSent.incrementAndGet();
            ws.writeBinaryMessage(Buffer.buffer(errorFrame("FutureCursor",
                    "cursor " + cursor + " is beyond the latest seq " + newest)));
            ws.close();
            return false;
        }
        if (cursor < oldest - 1) {
            outdatedCursorInfosSent.incrementAndGet();
            ws.writeBinaryMessage(Buffer.buffer(infoFrame("OutdatedCursor",
                    "requested cursor " + cursor + " is older than the oldest seq " + oldest)));
        }
        return true;
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
}
