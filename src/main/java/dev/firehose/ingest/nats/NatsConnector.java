package dev.firehose.ingest.nats;

import dev.firehose.ingest.config.NatsAuth;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.firehose.ingest.config.NatsSecrets;
import dev.firehose.ingest.config.Redaction;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the one NATS connection the service shares: publishing, stream set-up and the cursor bucket. */
public final class NatsConnector {

    private static final Logger LOG = LoggerFactory.getLogger(NatsConnector.class);

    private NatsConnector() {
    }

    /**
     * Connects to the comma-separated servers in {@code urls}. Reconnects for ever once connected: the pipeline
     * pauses the relay while NATS is away, and publishing resumes when it is back.
     */
    public static Connection connect(String urls, String connectionName, NatsAuth auth)
            throws IOException, InterruptedException {
        LOG.info("Connecting to NATS at {} ({})", Redaction.url(urls), auth);
        return Nats.connect(options(urls, connectionName, auth));
    }

    private static Options options(String urls, String connectionName, NatsAuth auth) throws IOException {
        Options.Builder builder = Options.builder()
                .servers(urls.split("\\s*,\\s*"))
                .connectionName(connectionName)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1))
                .connectionTimeout(Duration.ofSeconds(5))
                .connectionListener(NatsConnector::logEvent)
                .errorListener(new LoggingErrorListener(NatsSecrets.of(urls, auth)));
        if (!auth.user().isEmpty()) {
            builder.userInfo(auth.user().toCharArray(), auth.password().toCharArray());
        }
        if (!auth.token().isEmpty()) {
            builder.token(auth.token().toCharArray());
        }
        if (!auth.credsFile().isEmpty()) {
            builder.authHandler(Nats.credentials(auth.credsFile()));
        } else if (!auth.nkeySeedFile().isEmpty()) {
            builder.authHandler(Nats.credentials(null, auth.nkeySeedFile()));
        }
        if (auth.hasTls()) {
            try {
                builder.sslContext(PemTls.context(auth.tlsCa(), auth.tlsCert(), auth.tlsKey()));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot build TLS from NATS_TLS_CA/NATS_TLS_CERT/NATS_TLS_KEY: "
                        + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    private static void logEvent(Connection connection, ConnectionListener.Events event) {
        switch (event) {
            case CONNECTED, RECONNECTED, RESUBSCRIBED -> LOG.info("NATS {}: {}", event.name().toLowerCase(),
                    Redaction.url(connection.getConnectedUrl()));
            default -> LOG.warn("NATS {}", event.name().toLowerCase());
        }
    }

    /**
     * jnats reports asynchronous problems here; without a listener they would go to java.util.logging, past our
     * log4j masking. Its texts may hold a server URL with credentials: masked here too.
     */
    private static final class LoggingErrorListener implements ErrorListener {
        private final List<String> secrets;

        LoggingErrorListener(List<String> secrets) {
            this.secrets = secrets;
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warn("NATS error: {}", Redaction.text(error, secrets));
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.warn("NATS exception: {}", Redaction.text(exp.toString(), secrets));
        }
    }
}
