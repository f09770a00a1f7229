package dev.firehose.ingest.nats;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import dev.firehose.ingest.delivery.LogThrottle;
import dev.firehose.ingest.metrics.IngestMetrics;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to JetStream asynchronously, with at most {@code window} messages waiting for their PubAck (the
 * {@code publishAsync}-then-await-acks pattern of the NATS Java client), and owns every message until its fate is
 * known (rule D2):
 * <ul>
 * <li>a PubAck (also one that says "duplicate": the stream already had that {@code Nats-Msg-Id}) is
 * {@link Outcome#acked};</li>
 * <li>a failure that can pass (a timeout, no connection, JetStream not answering, the server restarting) is counted
 * in {@code nats_firehose_publish_errors_total} and the same message is sent again after a backoff, for ever: its
 * {@code Nats-Msg-Id} makes that safe;</li>
 * <li>a failure that cannot (the message is larger than the server accepts, an invalid subject or header) is
 * {@link Outcome#failed}.</li>
 * </ul>
 * A context service, not a route's: a route reload or stop does not orphan a message that is being retried.
 */
public final class JetStreamPublisher extends ServiceSupport {

    /** What became of one message; called on a NATS or retry thread, so it must not block. */
    public interface Outcome {
        void acked(boolean duplicate);

        void failed(Throwable permanent);
    }

    private static final Logger LOG = LoggerFactory.getLogger(JetStreamPublisher.class);
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 5_000;
    /** JetStream's "message size exceeds maximum allowed" (the stream's max message size). */
    private static final int MESSAGE_TOO_LARGE = 10054;

    private final Supplier<Connection> connections;
    private final PublishOptions options;
    private final int window;
    private final Duration drainTimeout;
    private final ScheduledExecutorService retries;
    private final Semaphore permits;
    /** Messages sent by {@link #publishHeld}, outside the window. */
    private final AtomicInteger heldInFlight = new AtomicInteger();
    private final LongAdder publishErrors;
    private final LogThrottle errorLog = new LogThrottle(5, 10_000);
    private volatile Session session;

    /** The JetStream context of the connection it was made for. */
    private record Session(Connection connection, JetStream jetStream) {
    }

    /** {@code windowed}: it holds one of the window's permits until its outcome. */
    private record Pending(NatsMessage message, Outcome outcome, boolean windowed) {
    }

    /**
     * @param connections  the shared connection, null until connected
     * @param stream       every publish must land in this stream (expected-stream check)
     * @param window       messages at most waiting for their PubAck
     * @param drainTimeout how long a stop waits for the messages in flight
     * @param retries      a single-thread scheduler for the resends
     */
    public JetStreamPublisher(Supplier<Connection> connections, String stream, int window, Duration drainTimeout,
                              IngestMetrics metrics, ScheduledExecutorService retries) {
        this.connections = connections;
        this.options = PublishOptions.builder().expectedStream(stream).build();
        this.window = window;
        this.drainTimeout = drainTimeout;
        this.retries = retries;
        this.permits = new Semaphore(window);
        this.publishErrors = metrics.counter(IngestMetrics.PUBLISH_ERRORS);
    }

    /**
     * Sends {@code data} to {@code subject}; returns once it is in flight, blocking while {@code window} messages wait
     * for their PubAck. The outcome comes later, exactly once.
     */
    public void publish(String subject, Headers headers, byte[] data, Outcome outcome) throws InterruptedException {
        NatsMessage message = message(subject, headers, data, outcome);
        if (message != null) {
            permits.acquire();
            send(new Pending(message, outcome, true), 0);
        }
    }

    /**
     * Sends {@code data} to {@code subject} without waiting for the window, for a caller that must never block (the
     * event loop) and whose messages are bounded already (held in the watermark: rule D5). Resent and reported like
     * {@link #publish}.
     */
    public void publishHeld(String subject, Headers headers, byte[] data, Outcome outcome) {
        NatsMessage message = message(subject, headers, data, outcome);
        if (message != null) {
            heldInFlight.incrementAndGet();
            send(new Pending(message, outcome, false), 0);
        }
    }

    private static NatsMessage message(String subject, Headers headers, byte[] data, Outcome outcome) {
        try {
            return NatsMessage.builder().subject(subject).headers(headers).data(data).build();
        } catch (IllegalArgumentException e) {
            outcome.failed(e);
            return null;
        }
    }

    /** Messages waiting for their PubAck (or a resend). */
    public int inFlight() {
        return window - permits.availablePermits() + heldInFlight.get();
    }

    private void done(Pending pending) {
        if (pending.windowed()) {
            permits.release();
        } else {
            heldInFlight.decrementAndGet();
        }
    }

    private void send(Pending pending, int attempt) {
        CompletableFuture<PublishAck> sent;
        try {
            sent = jetStream().publishAsync(pending.message(), options);
        } catch (RuntimeException e) {
            attemptFailed(pending, attempt, e);
            return;
        }
        sent.whenComplete((ack, error) -> {
            if (error == null) {
                done(pending);
                pending.outcome().acked(ack.isDuplicate());
            } else {
                attemptFailed(pending, attempt, unwrap(error));
            }
        });
    }

    private void attemptFailed(Pending pending, int attempt, Throwable error) {
        if (isPermanent(error)) {
            done(pending);
            pending.outcome().failed(error);
            return;
        }
        publishErrors.increment();
        long delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt, 10));
        long suppressed = errorLog.admit();
        if (suppressed >= 0) {
            LOG.warn("Publish of {} failed (attempt {}), retrying in {} ms: {}{}",
                    pending.message().getHeaders().getFirst("Nats-Msg-Id"), attempt + 1, delay, error,
                    LogThrottle.suffix(suppressed));
        }
        try {
            retries.schedule(() -> send(pending, attempt + 1), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // Stopping: the message stays unacknowledged, so the cursor stays before it and a restart re-reads it.
            LOG.warn("Publisher stopped with {} unacknowledged; it is re-read after the restart",
                    pending.message().getHeaders().getFirst("Nats-Msg-Id"));
        }
    }

    private JetStream jetStream() {
        Connection connection = connections.get();
        if (connection == null) {
            throw new IllegalStateException("NATS is not connected yet");
        }
        Session current = session;
        if (current == null || current.connection() != connection) {
            try {
                current = new Session(connection, connection.jetStream());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("no JetStream context: " + e.getMessage(), e);
            }
            session = current;
        }
        return current.jetStream();
    }

    /** Only what can never succeed is permanent; anything else (timeouts, connection trouble) passes. */
    static boolean isPermanent(Throwable error) {
        if (error instanceof IllegalArgumentException) {
            return true; // jnats' own checks: payload larger than the server's max_payload, bad subject or header
        }
        return error instanceof JetStreamApiException api && api.getApiErrorCode() == MESSAGE_TOO_LARGE;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException
                || (e instanceof RuntimeException && e.getClass() == RuntimeException.class)) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @Override
    protected void doStop() throws InterruptedException {
        // Routes stopped first (their open batches are in flight by now): let the PubAcks come in.
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        if (inFlight() > 0) {
            LOG.warn("{} posts still wait for their PubAck at shutdown; the stored cursor stays before them",
                    inFlight());
        }
        retries.shutdownNow();
    }
}
