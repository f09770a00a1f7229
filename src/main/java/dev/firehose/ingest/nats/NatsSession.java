package dev.firehose.ingest.nats;

import dev.firehose.ingest.config.NatsAuth;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.firehose.ingest.config.NatsSecrets;
import dev.firehose.ingest.config.Redaction;
import io.nats.client.Connection;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one NATS connection and what must be true before a frame is read: JetStream present, the stream
 * and the cursor bucket in place, the stored cursor loaded ({@link Bootstrap}).
 *
 * <p>At start it tries once: if NATS answers, the bootstrap runs right away and a misconfiguration (no JetStream, a
 * stream on other subjects) stops start-up with its message. If no server answers, the service starts anyway,
 * not ready, and keeps connecting in the background; the relay is not read until the bootstrap is done.
 * Once connected, jnats reconnects for ever. {@link #startConnecting()} lets that first try begin before the rest of
 * the application has started, on the background thread; start then takes its outcome.
 */
public final class NatsSession extends ServiceSupport {

    /** What runs once connected, before the session is ready. */
    @FunctionalInterface
    public interface Bootstrap {
        void run(Connection connection) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(NatsSession.class);
    private static final long RETRY_MILLIS = 2_000;

    private final String urls;
    private final String connectionName;
    private final NatsAuth auth;
    private final Bootstrap bootstrap;
    private final ExecutorService background;
    /** Our credentials in every written form: jnats puts the server URL, user-info and all, in its messages. */
    private final List<String> secrets;
    private volatile Connection connection;
    private volatile boolean ready;
    private volatile String problem = "not connected yet";
    /** The first try, when begun early by {@link #startConnecting()}; taken by {@link #doStart()}. */
    private volatile Future<Connection> firstTry;

    public NatsSession(String urls, String connectionName, NatsAuth auth, Bootstrap bootstrap,
                       ExecutorService background) {
        this.urls = urls;
        this.connectionName = connectionName;
        this.auth = auth;
        this.bootstrap = bootstrap;
        this.background = background;
        this.secrets = NatsSecrets.of(urls, auth);
    }

    /**
     * Begins the first try (connect and bootstrap) now, on the background thread: it then overlaps the rest of the
     * application's start-up (routes, metrics, HTTP server), which needs no NATS. Start waits for its outcome and acts
     * on it as on a try of its own.
     */
    public void startConnecting() {
        firstTry = background.submit(this::connectAndSetUp);
    }

    @Override
    protected void doStart() throws Exception {
        Connection first;
        try {
            first = firstTry != null ? outcome(firstTry) : connectAndSetUp();
        } catch (SetUpFailed e) {
            connection = e.connection; // closed by stop
            throw e.failure;
        } catch (IOException e) {
            if (isAuthFailure(e)) {
                // Retrying cannot fix credentials; say which settings to check (their values are never shown).
                throw new IllegalStateException("NATS at " + Redaction.url(urls) + " refused our credentials ("
                        + masked(e.getMessage()) + "): check NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, "
                        + "NATS_NKEY_SEED_FILE or the user in NATS_URL", e);
            }
            LOG.warn("NATS at {} is not reachable ({}); starting not ready, connecting in the background",
                    Redaction.url(urls), masked(e.toString()));
            problem = "NATS not reachable: " + masked(e.getMessage());
            background.submit(this::connectInBackground);
            return;
        } finally {
            firstTry = null;
        }
        connection = first;
        ready = true;
        problem = null;
    }

    /**
     * Connects (IOException: not reachable, or refused) and runs the bootstrap (SetUpFailed). An interrupted bootstrap
     * (the service stopping) closes its connection and ends the try.
     */
    private Connection connectAndSetUp() throws IOException, InterruptedException, SetUpFailed {
        Connection conn = NatsConnector.connect(urls, connectionName, auth);
        try {
            bootstrap.run(conn);
        } catch (InterruptedException e) {
            closeQuietly(conn);
            throw e;
        } catch (Exception e) {
            throw new SetUpFailed(conn, e);
        }
        return conn;
    }

    /** The early try's result, or what it threw, unwrapped. */
    private static Connection outcome(Future<Connection> attempt)
            throws IOException, InterruptedException, SetUpFailed {
        try {
            return attempt.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof SetUpFailed failed) {
                throw failed;
            }
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked; // as a try on this thread would have thrown it (a malformed NATS_URL, say)
            }
            throw (Error) cause; // connectAndSetUp throws nothing else
        }
    }

    /** The bootstrap threw on a connection that was made: start fails with its exception, the connection is closed. */
    private static final class SetUpFailed extends Exception {
        final transient Connection connection;
        final Exception failure;

        SetUpFailed(Connection connection, Exception failure) {
            super(failure);
            this.connection = connection;
            this.failure = failure;
        }
    }

    /**
     * Until NATS answers and the set-up succeeds: a fresh connection each attempt. (jnats' reconnect-on-connect
     * mode was seen to leave a connection whose JetStream requests all time out after the server came up.)
     */
    private void connectInBackground() {
        while (isRunAllowed() && !ready) {
            try {
                connection = connectAndSetUp();
                ready = true;
                problem = null;
                LOG.info("NATS is set up; the relay is read from now on");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (e instanceof SetUpFailed failed) {
                    problem = "NATS set-up failed: " + masked(failed.failure.getMessage());
                    closeQuietly(failed.connection);
                } else {
                    problem = "NATS not reachable: " + masked(e.getMessage());
                }
                LOG.warn("{}; retrying in {} ms", problem, RETRY_MILLIS);
                try {
                    TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Text for a log line or an endpoint (the not-ready reason is served to anyone who asks). */
    private String masked(String text) {
        return Redaction.text(text, secrets);
    }

    private static boolean isAuthFailure(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("authorization") || message.contains("authentication");
    }

    private void closeQuietly(Connection conn) {
        if (conn != null) {
            try {
                conn.close();
            } catch (Exception e) {
                LOG.debug("closing a failed NATS connection: {}", masked(e.toString()));
            }
        }
    }

    /** True once connected and set up; the relay is read only then. */
    public boolean isReady() {
        return ready;
    }

    /** The connection, or null before the first successful connect. */
    public Connection connection() {
        return connection;
    }

    /**
     * A {@link Connection} that is this session's current one, usable before it exists: endpoints bound to it
     * ({@code connection=#natsConnection}) can be created while NATS is still away; a call before the first connect
     * fails with a clear message.
     */
    public Connection sharedConnection() {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "NatsSession connection";
                        };
                    }
                    Connection current = connection;
                    if (current == null) {
                        throw new IllegalStateException("NATS is not connected yet");
                    }
                    try {
                        return method.invoke(current, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public boolean isConnected() {
        Connection conn = connection;
        return conn != null && conn.getStatus() == Connection.Status.CONNECTED;
    }

    /** Why the session is not ready, or null. */
    public String problem() {
        return problem;
    }

    @Override
    protected void doStop() throws Exception {
        background.shutdownNow();
        Future<Connection> early = firstTry;
        if (early != null && connection == null) {
            // started early, never taken by start (start-up failed elsewhere): its connection is ours to close
            try {
                connection = early.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SetUpFailed failed) {
                    connection = failed.connection;
                }
            } catch (Exception e) {
                LOG.debug("early NATS connect did not finish: {}", masked(e.toString()));
            }
        }
        Connection conn = connection;
        if (conn != null) {
            try {
                // Drain lets in-flight publishes finish before the socket closes.
                conn.drain(java.time.Duration.ofSeconds(5)).get(6, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("NATS drain did not finish: {}", masked(e.toString()));
            }
            conn.close();
        }
    }
}
