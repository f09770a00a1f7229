package dev.firehose.ingest.nats;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import dev.firehose.ingest.config.NatsAuth;
import dev.firehose.ingest.testsupport.FreePorts;
import dev.firehose.ingest.testsupport.LogCapture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: with NATS unreachable at start, jnats' exception message holds the server URL with its user-info;
 * the session's not-ready reason (served by /ready and /health/detailed) and its log lines must not.
 */
class NatsSessionSecretsTest {

    private static final String SECRET = "SECRET-u7Gq2";
    private static final String PASSWORD = "pass-K9w3e";

    @Test
    void anUnreachableServerIsReportedWithoutTheCredentials() throws Exception {
        String url = "nats://ingest:" + SECRET + "@127.0.0.1:" + FreePorts.next();
        NatsAuth auth = new NatsAuth("svc", PASSWORD, "", "", "", "", "", "");
        NatsSession session = new NatsSession(url, "secrets-test", auth, connection -> { },
                Executors.newSingleThreadExecutor());
        try (LogCapture logs = LogCapture.start()) {
            session.start();
            assertThat(session.isReady()).isFalse();
            assertThat(session.problem()).startsWith("NATS not reachable: ").contains("nats://***@127.0.0.1:")
                    .doesNotContain(SECRET).doesNotContain(PASSWORD);
            // a background round or two: its reason and log line too
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> logs.lines().stream().filter(l -> l.contains("retrying in")).count() >= 2);
            assertThat(session.problem()).contains("nats://***@127.0.0.1:").doesNotContain(SECRET);
            List<String> lines = logs.lines();
            assertThat(lines).anyMatch(l -> l.contains("nats://***@127.0.0.1:"));
            assertThat(lines).noneMatch(l -> l.contains(SECRET) || l.contains(PASSWORD));
        } finally {
            session.stop();
        }
    }
}
