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
 * Forces a reconnect when the NATS connection says it is connected but no longer gets anything through: a server that
 * hangs for good (a stopped process that stays stopped) or a network path that died without a FIN or RST (a half-open
 * socket). Both look alike to jnats: the connection reports CONNECTED, the socket takes every write into the kernel's
 * buffers, and nothing comes back. jnats notices only through its own checks, minutes later: its PINGs (every 2 min;
 * the connection is given up at the PING after {@code maxPingsOut = 2} unanswered ones, and a PING is skipped after an
 * interval in which messages arrived, so 4 to 8 minutes; 6 min measured on an idle connection) or its socket write
 * timeout (1 min, and it only starts once a write blocks, that is once the publisher's resends have filled the socket
 * buffers, several MiB; 2 min measured at 100 KiB/s). All that while no post is acknowledged and the relay is held
 * back. (Shorter jnats PINGs could replace this, but they give up only at the third PING after the path died.) So,
 * while the connection is CONNECTED, a round trip through the queue publishes use must succeed every {@code interval}:
 * a request to a subject nobody subscribes to, which the server answers at once with "no responders". When it gets no
 * answer within {@code timeout}, the socket is closed and jnats reconnects (to another server of the list, or to the
 * same one once it answers), re-sending what it had queued. Publishes are de-duplicated by their Nats-Msg-Id, so this
 * is always safe.
 *
 * <p>A server that is only paused for a while (SIGSTOP, then SIGCONT) needs none of this: after SIGCONT it reads
 * what waited in its socket and answers on the same connection. The watchdog's reconnect in that case is harmless.
 *
 * <p>It was first written for jnats 2.24's reconnect race (nats-io/nats.java#1522: after a reconnect the writer
 * could stay in its "waiting for the end of reconnect" mode and never write a publish again), which looks the same
 * from outside. That race is fixed in jnats 2.25.2; the service uses a later jnats (see pom.xml), so the dead
 * server or path is what is left for the watchdog.
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
