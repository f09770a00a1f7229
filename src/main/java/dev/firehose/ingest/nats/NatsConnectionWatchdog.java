package dev.firehose.ingest.nats;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.firehose.ingest.pipeline.IngestMetrics;
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
 * socket) looks the same. So, while the connection is CONNECTED, a PING/PONG round trip ({@link Connection#flush})
 * must succeed every {@code interval}; when it times out the socket is closed and jnats reconnects, re-sending
 * what it had queued. Publishes are de-duplicated by their Nats-Msg-Id, so this is always safe.
 */
public final class NatsConnectionWatchdog extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(NatsConnectionWatchdog.class);

    private final Connection connection;
    private final Duration interval;
    private final Duration timeout;
    private final IngestMetrics metrics;
    private final ScheduledExecutorService timer;

    public NatsConnectionWatchdog(Connection connection, Duration interval, Duration timeout, IngestMetrics metrics,
                                  ScheduledExecutorService timer) {
        this.connection = connection;
        this.interval = interval;
        this.timeout = timeout;
        this.metrics = metrics;
        this.timer = timer;
    }

    /** One check: a round trip, or a forced reconnect. Returns false when a reconnect was forced. */
    public boolean check() {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return true; // jnats is reconnecting (or closed) by itself
        }
        try {
            connection.flush(timeout);
            return true;
        } catch (TimeoutException e) {
            if (connection.getStatus() != Connection.Status.CONNECTED) {
                return true; // it went away during the check and jnats noticed
            }
            metrics.increment(IngestMetrics.NATS_FORCED_RECONNECTS);
            LOG.warn("NATS connection reports CONNECTED but answered no PING for {} ms; forcing a reconnect",
                    timeout.toMillis());
            try {
                connection.forceReconnect(ForceReconnectOptions.FORCE_CLOSE_INSTANCE);
            } catch (Exception reconnect) {
                LOG.warn("Forced NATS reconnect failed: {}", reconnect.toString());
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("NATS watchdog check skipped: {}", e.toString());
            return true;
        }
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
