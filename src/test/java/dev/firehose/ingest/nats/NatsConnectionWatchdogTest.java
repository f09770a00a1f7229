package dev.firehose.ingest.nats;

import dev.firehose.ingest.config.NatsAuth;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.FreezableTcpProxy;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.PublishOptions;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog against a real nats-server: it leaves a healthy connection alone, and a connection that says
 * CONNECTED but gets nothing through (a hung server, a dead network path) is reconnected.
 */
class NatsConnectionWatchdogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private NatsServerProcess server;
    private Connection connection;
    private IngestMetrics metrics;
    private NatsConnectionWatchdog watchdog;

    @BeforeEach
    void start() throws Exception {
        server = NatsServerProcess.start(Files.createTempDirectory("watchdog"));
        connection = NatsConnector.connect(server.url(), "watchdog-test", NatsAuth.none());
        connection.jetStreamManagement().addStream(StreamConfiguration.builder()
                .name("wd").subjects("wd.>").build());
        metrics = new IngestMetrics();
        watchdog = new NatsConnectionWatchdog(() -> connection, Duration.ofSeconds(5), TIMEOUT, metrics,
                Executors.newSingleThreadScheduledExecutor());
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aHealthyConnectionIsLeftAlone() {
        for (int i = 0; i < 3; i++) {
            assertThat(watchdog.check()).isTrue();
        }
        assertThat(metrics.count(IngestMetrics.NATS_FORCED_RECONNECTS)).isZero();
    }

    /**
     * A network path that died without a FIN or RST (a frozen TCP proxy between client and server): the server is
     * fine, the connection still reports CONNECTED, and jnats would go on writing into the dead socket for minutes.
     * The watchdog closes it, and jnats reconnects over a new path.
     */
    @Test
    void aConnectionOverADeadPathIsReplacedByANewOne() throws Exception {
        try (FreezableTcpProxy proxy = FreezableTcpProxy.start(server.port())) {
            connection.close();
            connection = NatsConnector.connect("nats://127.0.0.1:" + proxy.port(), "watchdog-test", NatsAuth.none());
            awaitWorking();

            proxy.freezeOpenConnections();
            assertThatThrownBy(() -> connection.jetStream().publish("wd.x", "lost".getBytes(),
                    PublishOptions.builder().streamTimeout(TIMEOUT).build()))
                    .hasMessageContaining("Timeout");
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);

            assertThat(watchdog.check()).isFalse();

            assertThat(metrics.count(IngestMetrics.NATS_FORCED_RECONNECTS)).isEqualTo(1);
            awaitWorking();
            assertThat(watchdog.check()).isTrue();
            assertThat(metrics.count(IngestMetrics.NATS_FORCED_RECONNECTS)).isEqualTo(1);
            assertThat(proxy.connections()).as("the first path and the one reconnected over").isEqualTo(2);
        }
    }

    @Test
    void aHungServerIsReconnectedToOnceItAnswersAgain() throws Exception {
        // forceReconnect returns once it is connected again, so the check runs beside the paused server.
        CompletableFuture<Boolean> check;
        server.pause();
        try {
            check = CompletableFuture.supplyAsync(watchdog::check);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> metrics.count(IngestMetrics.NATS_FORCED_RECONNECTS) == 1);
            Thread.sleep(2_000); // a few reconnect attempts into the hung server
        } finally {
            server.resume();
        }
        assertThat(check.get(20, TimeUnit.SECONDS)).isFalse();
        awaitWorking();
        assertThat(watchdog.check()).isTrue();
        assertThat(metrics.count(IngestMetrics.NATS_FORCED_RECONNECTS)).isEqualTo(1);
    }

    /** Connected again, and a JetStream publish gets its PubAck. */
    private void awaitWorking() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> connection.getStatus() == Connection.Status.CONNECTED
                        && connection.jetStream().publish("wd.x", "after".getBytes(),
                                PublishOptions.builder().streamTimeout(TIMEOUT).build()).getSeqno() > 0);
    }
}
