package dev.firehose.ingest.relay;

import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketClientConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay client. Where the stock 4.17 client consumer runs frames concurrently on a worker pool, never pauses
 * the socket and reconnects with the URI it started with, this one:
 * <ul>
 * <li>hands frames, in the order the relay sent them, to one reader thread that runs the route for one frame at a
 * time;</li>
 * <li>pauses the socket while the frames waiting for that thread pass a bound in bytes or frames, or while the
 * pipeline is full ({@link RelayFlowControl#awaitCapacity}), so memory stays bounded when NATS is slow;</li>
 * <li>attaches its handlers on the socket's event loop, in the connect callback, before any message can be
 * delivered, so no frame is lost at connect;</li>
 * <li>connects with {@code ?cursor=} set to the current resume point every time, keeps exactly one socket open,
 * reconnects after a close, an error or an idle period with exponential backoff and jitter, and keeps retrying
 * when the first connect fails instead of stopping the application.</li>
 * </ul>
 */
public class FirehoseClientConsumer extends VertxWebsocketClientConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseClientConsumer.class);
    private static final long POLL_MILLIS = 200;
    private static final long NOT_READY_RETRY_MILLIS = 250;

    private final FirehoseWebsocketEndpoint endpoint;
    private final RelayFlowControl flowControl;
    private final RelaySettings settings;
    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private final AtomicLong inboxBytes = new AtomicLong();
    private final RelayStatus status;

    private volatile boolean running;
    private volatile WebSocket socket;
    private volatile Context socketContext;
    private volatile boolean paused;
    private volatile long lastFrameAt;
    private int failedAttempts;
    /** Frames delivered by the current socket; on its event loop. */
    private int framesOnSocket;
    private long idleTimer = -1;
    private WebSocketClient client;
    private WebSocketClientOptions clientOptions;
    private ExecutorService reader;

    public FirehoseClientConsumer(FirehoseWebsocketEndpoint endpoint, Processor processor,
                                  RelayFlowControl flowControl, RelaySettings settings, RelayStatus status) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.flowControl = flowControl;
        this.settings = settings;
        this.status = status;
    }

    @Override
    protected void doStart() throws Exception {
        running = true;
        clientOptions = endpoint.clientOptions();
        client = endpoint.vertx().createWebSocketClient(clientOptions);
        reader = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "FirehoseReader");
        reader.submit(this::readLoop);
        long period = Math.max(100, Math.min(1_000, settings.idleTimeout().toMillis() / 4));
        idleTimer = endpoint.vertx().setPeriodic(period, id -> closeIfIdle());
        connect();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        Vertx vertx = endpoint.vertx();
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        WebSocket ws = socket;
        if (ws != null) {
            closeQuietly(ws);
        }
        if (reader != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(reader, 5_000);
        }
        if (client != null) {
            client.close();
        }
        inbox.clear();
        inboxBytes.set(0);
    }

    private void connect() {
        if (!running) {
            return;
        }
        if (!flowControl.ready()) {
            // Nothing could be delivered yet: do not open the socket before the pipeline can take frames.
            endpoint.vertx().setTimer(NOT_READY_RETRY_MILLIS, id -> connect());
            return;
        }
        OptionalLong cursor = flowControl.resumeCursor();
        status.connecting(endpoint.displayAddress());
        LOG.info("Connecting to relay {} {}", endpoint.displayAddress(),
                cursor.isPresent() ? "from cursor " + cursor.getAsLong() : "live (no stored cursor)");
        // Handlers go on before the handshake, and Vert.x only lets frames through after its own set-up: no frame
        // can reach a socket without them. (The stock consumer attached them later and lost frames at connect.)
        ClientWebSocket ws = client.webSocket();
        socket = ws;
        socketContext = null;
        framesOnSocket = 0;
        setPaused(false);
        configureWebSocketHandlers(ws);
        ws.connect(endpoint.connectOptions(clientOptions, cursor)).onComplete(result -> {
            if (result.failed()) {
                if (socket == ws) {
                    socket = null;
                }
                LOG.warn("Relay connect to {} failed: {}", endpoint.displayAddress(), result.cause().toString());
                scheduleReconnect();
                return;
            }
            if (!running) {
                ws.close();
                return;
            }
            status.connected();
            lastFrameAt = System.currentTimeMillis();
            LOG.info("Connected to relay {}", endpoint.displayAddress());
        });
    }

    @Override
    protected void configureWebSocketHandlers(WebSocket ws) {
        ws.binaryMessageHandler(buffer -> onFrame(ws, buffer));
        ws.textMessageHandler(text -> LOG.debug("Ignored a text message from the relay ({} chars)", text.length()));
        ws.exceptionHandler(error -> LOG.warn("Relay connection error: {}", error.toString()));
        ws.closeHandler(ignored -> onClosed(ws));
    }

    /** On the event loop: queue the frame for the reader, and pause the socket when the queue is full. */
    private void onFrame(WebSocket ws, Buffer buffer) {
        // The socket's own event loop: pause and resume must run here, as Vert.x's inbound buffer is not
        // thread-safe (the connect callback may run on another event loop; resuming from there lost frames).
        Context context = Vertx.currentContext();
        if (socketContext != context && socket == ws) {
            socketContext = context;
        }
        byte[] frame = buffer.getBytes();
        lastFrameAt = System.currentTimeMillis();
        status.frameReceived(lastFrameAt);
        // A relay that refuses us answers with one error frame (FutureCursor, ConsumerTooSlow) and closes: that
        // connection did not work, so the backoff keeps growing. A second frame means the relay is streaming.
        if (socket == ws && ++framesOnSocket == 2) {
            failedAttempts = 0;
        }
        inboxBytes.addAndGet(frame.length);
        inbox.add(frame);
        if (!paused && socket == ws && inboxFull()) {
            ws.pause();
            setPaused(true);
        }
    }

    private void onClosed(WebSocket ws) {
        if (socket != ws) {
            return;
        }
        socket = null;
        status.disconnected();
        if (running) {
            LOG.warn("Relay connection closed (status {} {}); reconnecting", ws.closeStatusCode(),
                    ws.closeReason() == null ? "" : ws.closeReason());
            scheduleReconnect();
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
        LOG.info("Reconnecting to relay in {} ms", delay);
        endpoint.vertx().setTimer(delay, id -> connect());
    }

    /** A socket that has delivered nothing for the idle timeout, while we were ready to read, is presumed dead. */
    private void closeIfIdle() {
        WebSocket ws = socket;
        if (ws != null && status.isConnected() && !paused && inbox.isEmpty()
                && System.currentTimeMillis() - lastFrameAt > settings.idleTimeout().toMillis()) {
            LOG.warn("No frame from the relay for {} ms; reconnecting", settings.idleTimeout().toMillis());
            ws.close();
        }
    }

    private static void closeQuietly(WebSocket ws) {
        try {
            ws.close();
        } catch (RuntimeException e) {
            // still connecting: the connect callback closes it once it completes
            LOG.debug("closing the relay socket: {}", e.toString());
        }
    }

    private boolean inboxFull() {
        return inboxBytes.get() >= settings.inboxHighBytes() || inbox.size() >= settings.inboxHighFrames();
    }

    private boolean inboxDrained() {
        return inboxBytes.get() <= settings.inboxHighBytes() / 2 && inbox.size() <= settings.inboxHighFrames() / 2;
    }

    /** The reader thread: one frame at a time, in relay order, through the route. */
    private void readLoop() {
        while (running) {
            try {
                if (!flowControl.awaitCapacity(POLL_MILLIS)) {
                    continue;
                }
                byte[] frame = inbox.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    continue;
                }
                inboxBytes.addAndGet(-frame.length);
                if (paused && inboxDrained()) {
                    resumeSocket();
                }
                processFrame(frame);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Unexpected error in the relay reader; continuing", e);
            }
        }
    }

    private void resumeSocket() {
        Context context = socketContext;
        WebSocket ws = socket;
        if (context == null || ws == null) {
            return;
        }
        context.runOnContext(v -> {
            if (paused && socket == ws && inboxDrained()) {
                setPaused(false);
                ws.resume();
            }
        });
    }

    private void processFrame(byte[] frame) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(frame);
        try {
            createUoW(exchange);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing a relay frame", exchange,
                        exchange.getException());
            }
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }
    }

    private void setPaused(boolean value) {
        paused = value;
        status.paused(value);
    }
}
