package dev.firehose.ingest.nats;

import dev.firehose.ingest.config.NatsAuth;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.PublishOptions;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog against a real nats-server: it leaves a healthy connection alone, and a connection that says
 * CONNECTED but gets nothing through (jnats' stuck writer after a reconnect, or a hung server) is reconnected.
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
     * The states nats-io/nats.java#1522 leaves the connection in, set directly: the writer reads only its reconnect
     * queue, so publishes are never written. In {@code Reconnect} mode PINGs still go out (flush succeeds), in
     * {@code WaitingForEndReconnect} they do not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Reconnect", "WaitingForEndReconnect"})
    void aConnectionWhoseWriterIsStuckAfterAReconnectIsReconnected(String writerMode) throws Exception {
        Object writer = field(connection, "writer");
        Field mode = writer.getClass().getDeclaredField("mode");
        mode.setAccessible(true);
        @SuppressWarnings("unchecked")
        var modeRef = (java.util.concurrent.atomic.AtomicReference<Object>) mode.get(writer);
        Object stuck = null;
        for (Object constant : modeRef.get().getClass().getEnumConstants()) {
            if (constant.toString().equals(writerMode)) {
                stuck = constant;
            }
        }
        Assumptions.assumeTrue(stuck != null, "this jnats has no " + writerMode + " writer mode");
        modeRef.set(stuck);
        // The writer notices its mode on its next turn: one message still goes out through the normal queue.
        connection.publish("wd.nudge", new byte[0]);
        Thread.sleep(100);
        assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        assertThatThrownBy(() -> connection.jetStream().publish("wd.x", "stuck".getBytes(),
                PublishOptions.builder().streamTimeout(TIMEOUT).build()))
                .hasMessageContaining("Timeout");

        assertThat(watchdog.check()).isFalse();

        assertThat(metrics.count(IngestMetrics.NATS_FORCED_RECONNECTS)).isEqualTo(1);
        awaitWorking();
        // The forced reconnect goes through the same racy jnats code, and now and then lands in a stuck writer
        // again (seen here about 1 run in 5): the next checks then reconnect again until one is healthy.
        await().atMost(Duration.ofSeconds(30)).until(watchdog::check);
        assertThat(metrics.count(IngestMetrics.NATS_FORCED_RECONNECTS)).isBetween(1L, 4L);
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

    private static Object field(Object target, String name) throws Exception {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
