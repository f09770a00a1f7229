package dev.firehose.ingest.nats;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.firehose.ingest.metrics.IngestMetrics;
import io.nats.client.Connection;
import io.nats.client.ForceReconnectOptions;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces a reconnect when the NATS connection says it is connected but no longer gets anything through.
 *
 * <p>jnats 2.24 has a reconnect race (nats-io/nats.java#1522): after a reconnect its writer can stay in the
 * "waiting for the end of reconnect" mode, the connection reports CONNECTED and the reader works, but nothing
 * queued is ever written: every publish and every cursor write times out, the route retries for ever, and only the
 * server's stale-connection check (minutes later) would end it. A server that hangs (a stopped process, a half-open
 * socket) looks the same. So, while the connection is CONNECTED, a round trip through the queue publishes use
 * must succeed every {@code interval}: a request to a subject nobody subscribes to, which the server answers at once
 * with "no responders". (A PING is not enough: jnats queues it apart from publishes, and in one stuck mode PINGs
 * still go out while publishes do not.) When it gets no answer the socket is closed and jnats reconnects,
 * re-sending what it had queued. Publishes are de-duplicated by their Nats-Msg-Id, so this is always safe.
 */
public final class NatsConnectionWatchdog extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(NatsConnectionWatchdog.class);
    /** Nobody subscribes here: the server answers every request with a "no responders" status. */
    static final String PROBE_SUBJECT = "_FIREHOSE_INGEST.watchdog";

    private final Supplier<Connection> connections;
    private final Duration interval;
    private final Duration timeout;
    private final IngestMetrics metrics;
    private final ScheduledExecutorService timer;

    /** @param connections the session's connection, null until it is connected */
    public NatsConnectionWatchdog(Supplier<Connection> connections, Duration interval, Duration timeout,
                                  IngestMetrics metrics, ScheduledExecutorService timer) {
        this.connections = connections;
        this.interval = interval;
        this.timeout = timeout;
        this.metrics = metrics;
        this.timer = timer;
    }

    /**
     * One check: a round trip, or a forced reconnect (which returns once jnats is connected again). Returns false
     * when a reconnect was forced.
     */
    public boolean check() {
        Connection connection = connections.get();
        if (connection == null || connection.getStatus() != Connection.Status.CONNECTED) {
            return true; // jnats is reconnecting (or closed) by itself
        }
        long started = System.nanoTime();
        try {
            connection.requestWithTimeout(PROBE_SUBJECT, null, timeout)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | CancellationException answered) {
            // "no responders" (or an error) came back from the server: the round trip works, unless this is
            // jnats giving up on the request after the timeout itself
            if (System.nanoTime() - started < timeout.toNanos()) {
                return true;
            }
            return stalled(connection);
        } catch (TimeoutException e) {
            return stalled(connection);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("NATS watchdog check skipped: {}", e.toString());
            return true;
        }
    }

    private boolean stalled(Connection connection) {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return true; // it went away during the check and jnats noticed
        }
        metrics.increment(IngestMetrics.NATS_FORCED_RECONNECTS);
        LOG.warn("NATS connection reports CONNECTED but got no answer for {} ms; forcing a reconnect",
                timeout.toMillis());
        try {
            connection.forceReconnect(ForceReconnectOptions.FORCE_CLOSE_INSTANCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception reconnect) {
            LOG.warn("Forced NATS reconnect failed: {}", reconnect.toString());
        }
        return false;
    }

    @Override
    protected void doStart() {
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }
}
