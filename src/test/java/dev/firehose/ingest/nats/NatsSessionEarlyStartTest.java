package dev.firehose.ingest.nats;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import dev.firehose.ingest.config.NatsAuth;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link NatsSession#startConnecting()}: the first try runs on the background thread before start, and start acts on
 * its outcome as on a try of its own (ready with the connection; a failed bootstrap fails start, and stop closes it).
 */
class NatsSessionEarlyStartTest {

    private static final NatsAuth NO_AUTH = NatsAuth.none();

    @TempDir
    Path tmp;

    @Test
    void theEarlyTryIsWhatStartTakes() throws Exception {
        AtomicReference<Thread> bootstrapThread = new AtomicReference<>();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (NatsServerProcess nats = NatsServerProcess.start(tmp.resolve("nats"))) {
            NatsSession session = new NatsSession(nats.url(), "early-test",
                    NO_AUTH, connection -> bootstrapThread.set(Thread.currentThread()), background);
            session.startConnecting();
            try {
                session.start();
                assertThat(session.isReady()).isTrue();
                assertThat(session.connection().getStatus()).isEqualTo(Connection.Status.CONNECTED);
                assertThat(bootstrapThread.get()).isNotNull().isNotSameAs(Thread.currentThread());
            } finally {
                session.stop();
            }
        }
    }

    @Test
    void aBootstrapThatFailsEarlyFailsStartAndStopClosesItsConnection() throws Exception {
        AtomicReference<Connection> made = new AtomicReference<>();
        try (NatsServerProcess nats = NatsServerProcess.start(tmp.resolve("nats"))) {
            NatsSession session = new NatsSession(nats.url(), "early-test", NO_AUTH, connection -> {
                made.set(connection);
                throw new IllegalStateException("stream bluesky-posts lists other subjects");
            }, Executors.newSingleThreadExecutor());
            session.startConnecting();
            assertThatThrownBy(session::start).hasStackTraceContaining("lists other subjects");
            assertThat(session.isReady()).isFalse();
            session.stop();
            assertThat(made.get().getStatus()).isEqualTo(Connection.Status.CLOSED);
        }
    }
}
