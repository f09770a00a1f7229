package dev.firehose.ingest.relay;

import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FrameBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.impl.WebSocketInternal;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.impl.VertxInternal;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketClientConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's client (the relay's, or Jetstream's: the same rules). Where the stock 4.17 client consumer runs frames
 * concurrently on a worker pool, never pauses the socket and reconnects with the URI it started with, this one:
 * <ul>
 * <li>runs the route in line, on the socket's own event loop, for the frames of each read together (one
 * {@link FrameBatch} exchange, up to 512 frames), in the order the relay sent them, one exchange at a time (a step
 * that goes asynchronous pauses the socket until it is done): no hand-off queue, no thread wake-up per frame;</li>
 * <li>owns each frame's life in the {@link DeliveryWatermark}: started before its exchange, finished when the
 * exchange is done, however it ended (rule D1), so no route step can forget either;</li>
 * <li>pauses the socket while the pipeline is full ({@link DeliveryWatermark#hasCapacity()}), so memory stays
 * bounded when NATS is slow (rule D5); while paused, Vert.x queues at most 16 websocket frames and then stops
 * reading the TCP connection;</li>
 * <li>once caught up with the relay (a read found almost nothing waiting), lingers before the next read
 * ({@link RelaySettings#readLinger()}), so a read brings dozens of frames: one wake-up and one exchange for them
 * all; a backlog is read flat out;</li>
 * <li>finds a dead connection by protocol: a PING every {@link RelaySettings#pingInterval()}, and no frame and no
 * PONG for {@link RelaySettings#deadAfter()} replaces the connection; a quiet relay that answers is left alone;</li>
 * <li>connects with {@code ?cursor=} set to the current resume point every time, reads from exactly one socket,
 * reconnects after a close, an error or a dead connection with exponential backoff and jitter, and keeps retrying
 * when the first connect fails instead of stopping the application.</li>
 * </ul>
 * Every piece of state is confined to one Vert.x event-loop context, created at start: all sockets, handlers and
 * timers run there, so pause, resume and frame order need no locks.
 */
public class FirehoseClientConsumer extends VertxWebsocketClientConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseClientConsumer.class);
    private static final long NOT_READY_RETRY_MILLIS = 250;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    /** A batch is flushed at this many frames or bytes even before the read is over (bounds a batch's posts). */
    private static final int MAX_BATCH_FRAMES = 512;
    private static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    /**
     * A read that found less than this waiting means we are caught up with the relay: linger before the next read.
     * Under a backlog the socket always holds more (the sender refills the TCP window while a batch is processed);
     * under the live stream the read right after a lingered one finds only what came in those few milliseconds.
     * (The size of a lingered read itself says nothing: TCP sizes its window by how fast we read.)
     */
    private static final int LINGER_BELOW_FRAMES = 32;
    private static final long LINGER_BELOW_BYTES = 32 * 1024;

    private final FirehoseWebsocketEndpoint endpoint;
    private final RelayFlowControl flowControl;
    private final DeliveryWatermark watermark;
    private final RelaySettings settings;
    private final RelayStatus status;

    private Context context;
    private WebSocketClient client;
    private WebSocketClientOptions clientOptions;
    // Below: only touched on the context's thread.
    private boolean running;
    private ClientWebSocket socket;
    private boolean paused;
    /** A frame's exchange went asynchronous (a step an operator added): no next frame until it is done. */
    private boolean exchangeInFlight;
    /** True while {@link #process} runs on the context: a callback seen then completed in line. */
    private boolean inlineCall;
    /** The connected socket's Netty channel context, for the read linger; null before connect. */
    private ChannelHandlerContext channel;
    private boolean lingering;
    /** Frames received in this read, not yet through the route. */
    private FrameBatch batch;
    private long batchBytes;
    /** Messages and their bytes in the read the event loop is delivering now; readFrames -1 between reads. */
    private int readFrames = -1;
    private long readBytes;
    private long lastSignOfLife;
    private long lastFrameAt;
    private long lastPingAt;
    private int failedAttempts;
    private long framesOnSocket;
    private long livenessTimer = -1;

    public FirehoseClientConsumer(FirehoseWebsocketEndpoint endpoint, Processor processor,
                                  RelayFlowControl flowControl, DeliveryWatermark watermark, RelaySettings settings,
                                  RelayStatus status) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.flowControl = flowControl;
        this.watermark = watermark;
        this.settings = settings;
        this.status = status;
    }

    @Override
    protected void doStart() throws Exception {
        clientOptions = endpoint.clientOptions();
        client = endpoint.vertx().createWebSocketClient(clientOptions);
        context = ((VertxInternal) endpoint.vertx()).createEventLoopContext();
        context.runOnContext(v -> {
            running = true;
            long tick = Math.max(100, settings.pingInterval().toMillis() / 2);
            livenessTimer = endpoint.vertx().setPeriodic(tick, id -> checkLiveness());
            connect();
        });
    }

    @Override
    protected void doStop() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        context.runOnContext(v -> {
            running = false;
            endpoint.vertx().cancelTimer(livenessTimer);
            abandonSocket();
            stopped.countDown();
        });
        // Runs after the frame in progress, if any: its exchange is done (or handed to another thread) by then.
        if (!stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("The relay consumer's event loop did not stop within {} s", STOP_TIMEOUT_SECONDS);
        }
        client.close();
    }

    private void connect() {
        if (!running || socket != null) {
            return;
        }
        if (!flowControl.ready()) {
            // Nothing could be delivered yet: do not open the socket before the pipeline can take frames.
            endpoint.vertx().setTimer(NOT_READY_RETRY_MILLIS, id -> connect());
            return;
        }
        OptionalLong cursor = flowControl.resumeCursor();
        status.connecting(endpoint.displayAddress());
        LOG.info("Connecting to {} {}", endpoint.displayAddress(),
                cursor.isPresent() ? "from cursor " + cursor.getAsLong() : "live (no stored cursor)");
        // Handlers go on before the handshake, and Vert.x only lets frames through after its own set-up: no frame
        // can reach a socket without them. (The stock consumer attached them later and lost frames at connect.)
        ClientWebSocket ws = client.webSocket();
        socket = ws;
        framesOnSocket = 0;
        setPaused(false);
        MessageAssembler messages = new MessageAssembler(settings.maxMessageBytes());
        ws.frameHandler(frame -> {
            byte[] message = messages.add(frame);
            if (message != null) {
                onMessage(ws, message, messages.wasText());
            }
        });
        ws.pongHandler(ignored -> {
            if (ws == socket) {
                lastSignOfLife = System.currentTimeMillis();
            }
        });
        ws.exceptionHandler(error -> {
            if (ws == socket) {
                LOG.warn("Relay connection error: {}", error.toString());
            }
        });
        ws.closeHandler(ignored -> onClosed(ws));
        // Called on our context, so the connection and all its handlers belong to it.
        ws.connect(endpoint.connectOptions(clientOptions, cursor)).onComplete(result -> {
            if (ws != socket) {
                if (result.succeeded()) {
                    ws.close();
                }
                return;
            }
            if (result.failed()) {
                socket = null;
                LOG.warn("Connect to {} failed: {}", endpoint.displayAddress(), result.cause().toString());
                scheduleReconnect();
                return;
            }
            long now = System.currentTimeMillis();
            lastSignOfLife = now;
            lastFrameAt = now;
            lastPingAt = now;
            channel = result.result() instanceof WebSocketInternal internal ? internal.channelHandlerContext() : null;
            status.connected();
            LOG.info("Connected to {}", endpoint.displayAddress());
        });
    }

    /**
     * One message: started in the watermark now, in the order it came, and added to the batch this read delivers, with
     * its type ({@code text}: Jetstream's plain JSON; binary: relay frames, Jetstream's zstd). The batch goes through
     * the route when the event loop has handed over everything it read (or when it is full).
     */
    private void onMessage(ClientWebSocket ws, byte[] frame, boolean text) {
        if (ws != socket || !running) {
            return; // a replaced socket: the new one asks for everything after the cursor again
        }
        long now = System.currentTimeMillis();
        lastSignOfLife = now;
        lastFrameAt = now;
        status.frameReceived(now);
        // A relay that refuses us answers with one error frame (FutureCursor, ConsumerTooSlow) and closes: that
        // connection did not work, so the backoff keeps growing. A second frame means the relay is streaming.
        if (++framesOnSocket == 2) {
            failedAttempts = 0;
        }
        if (readFrames < 0) {
            readFrames = 0;
            readBytes = 0;
            // Runs after the event loop has delivered everything it read this time.
            context.runOnContext(v -> readDone());
        }
        if (batch == null) {
            batch = new FrameBatch(16);
            batchBytes = 0;
        }
        batch.add(frame, text, watermark.frameStarted());
        batchBytes += frame.length;
        readFrames++;
        readBytes += frame.length;
        if (batch.size() >= MAX_BATCH_FRAMES || batchBytes >= MAX_BATCH_BYTES) {
            flush();
        }
    }

    /** The read is over: its last batch through the route; a read that found little waiting lingers before the next. */
    private void readDone() {
        boolean small = readFrames < LINGER_BELOW_FRAMES && readBytes < LINGER_BELOW_BYTES;
        readFrames = -1;
        ClientWebSocket ws = socket;
        if (flush() && small && ws == socket) {
            linger();
        }
    }

    /**
     * The batch through the route, then pause if the pipeline is full or the exchange went asynchronous. Returns
     * whether the socket goes on reading.
     */
    private boolean flush() {
        FrameBatch frames = batch;
        batch = null;
        if (frames == null || frames.isEmpty()) {
            return !paused;
        }
        ClientWebSocket ws = socket;
        if (!process(ws, frames)) {
            exchangeInFlight = true;
        }
        if (ws != null && ws == socket && !paused && (exchangeInFlight || !watermark.hasCapacity())) {
            pause(ws);
        }
        return !paused;
    }

    /**
     * A few frames at a time (the live stream, not a backlog): stop reading the socket for the linger, so the next
     * read takes everything that arrived meanwhile. One wake-up and one exchange for dozens of frames instead of one
     * each; the frames wait at most the linger (the aggregator waits up to a second for its batch anyway).
     */
    private void linger() {
        ChannelHandlerContext chctx = channel;
        if (lingering || chctx == null || settings.readLinger().isZero()) {
            return;
        }
        lingering = true;
        chctx.channel().config().setAutoRead(false);
        endpoint.vertx().setTimer(settings.readLinger().toMillis(), id -> {
            lingering = false;
            if (channel == chctx) {
                chctx.channel().config().setAutoRead(true); // reads what the kernel holds, then goes on reading
            }
        });
    }

    /**
     * Returns false when the exchange continues on another thread (it resumes reading when done). Camel's
     * {@code process} result does not say that reliably, so the callback itself tells: it ran in this call, or later.
     */
    private boolean process(ClientWebSocket ws, FrameBatch frames) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(frames);
        boolean[] doneInline = {false};
        inlineCall = true;
        try {
            createUoW(exchange);
            getAsyncProcessor().process(exchange, doneSync -> {
                framesDone(exchange, frames);
                if (inlineCall && Vertx.currentContext() == context) {
                    doneInline[0] = true;
                } else {
                    context.runOnContext(v -> {
                        exchangeInFlight = false;
                        resume(ws);
                    });
                }
            });
        } catch (Throwable e) {
            exchange.setException(e);
            framesDone(exchange, frames);
            doneInline[0] = true;
        } finally {
            inlineCall = false;
        }
        return doneInline[0];
    }

    /** The batch's exchange is done, however it ended: its frames are finished (the watermark ignores a repeat). */
    private void framesDone(Exchange exchange, FrameBatch frames) {
        try {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing relay frames", exchange,
                        exchange.getException());
            }
        } finally {
            watermark.framesFinished(frames);
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }
    }

    private void pause(ClientWebSocket ws) {
        setPaused(true);
        ws.pause();
        if (!exchangeInFlight) {
            awaitCapacity(ws);
        }
    }

    /** Resumes once the pipeline has room; the watermark calls back from whichever thread released the posts. */
    private void awaitCapacity(ClientWebSocket ws) {
        watermark.onCapacity(() -> context.runOnContext(v -> resume(ws)));
    }

    private void resume(ClientWebSocket ws) {
        if (!paused || ws != socket || exchangeInFlight) {
            return;
        }
        if (!watermark.hasCapacity()) {
            awaitCapacity(ws); // released and filled again before this ran
            return;
        }
        setPaused(false);
        // Vert.x stopped reading after 16 queued frames, so nothing (not even a PONG) came meanwhile.
        lastSignOfLife = System.currentTimeMillis();
        ws.resume();
    }

    private void onClosed(ClientWebSocket ws) {
        if (ws != socket) {
            return;
        }
        socket = null;
        channel = null;
        status.disconnected();
        if (running) {
            LOG.warn("Connection to {} closed (status {} {}); reconnecting", endpoint.displayAddress(),
                    ws.closeStatusCode(), ws.closeReason() == null ? "" : ws.closeReason());
            scheduleReconnect();
        }
    }

    /** Every tick: PING while the socket is read, and replace it when it shows no sign of life. */
    private void checkLiveness() {
        ClientWebSocket ws = socket;
        if (ws == null || paused || !status.isConnected()) {
            return;
        }
        long now = System.currentTimeMillis();
        long silent = now - lastSignOfLife;
        if (silent >= settings.deadAfter().toMillis()) {
            LOG.warn("No frame and no PONG from {} for {} ms; replacing the connection", endpoint.displayAddress(),
                    silent);
            replace();
        } else if (!settings.idleTimeout().isZero() && now - lastFrameAt >= settings.idleTimeout().toMillis()) {
            LOG.warn("No frame from {} for {} ms (FIREHOSE_IDLE_TIMEOUT_MS); replacing the connection",
                    endpoint.displayAddress(), now - lastFrameAt);
            replace();
        } else if (now - lastPingAt >= settings.pingInterval().toMillis()) {
            lastPingAt = now;
            ws.writePing(Buffer.buffer());
        }
    }

    /** Drops the current socket without waiting for its close handshake (a dead peer never answers one). */
    private void replace() {
        abandonSocket();
        scheduleReconnect();
    }

    private void abandonSocket() {
        ClientWebSocket ws = socket;
        socket = null;
        channel = null;
        flushLeftover();
        setPaused(false);
        exchangeInFlight = false;
        status.disconnected();
        if (ws != null) {
            try {
                ws.close();
            } catch (RuntimeException e) {
                // still connecting: the connect callback closes it once it completes
                LOG.debug("closing the relay socket: {}", e.toString());
            }
        }
    }

    /**
     * Frames started but not through the route when their socket goes: they are finished without a position (never
     * decoded), and the next connection asks for them again from the cursor.
     */
    private void flushLeftover() {
        FrameBatch frames = batch;
        batch = null;
        if (frames != null) {
            watermark.framesFinished(frames);
        }
    }

    private void scheduleReconnect() {
        if (!running) {
            return;
        }
        status.reconnectScheduled();
        long min = settings.minBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long base = Math.min(max, min << Math.min(failedAttempts, 20));
        failedAttempts++;
        // +-20% jitter, so that many instances do not reconnect in step.
        long delay = Math.max(1, (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
        LOG.info("Reconnecting to {} in {} ms", endpoint.displayAddress(), delay);
        endpoint.vertx().setTimer(delay, id -> connect());
    }

    private void setPaused(boolean value) {
        paused = value;
        status.paused(value);
    }
}
