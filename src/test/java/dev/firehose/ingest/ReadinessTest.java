package dev.firehose.ingest;

import java.time.Duration;

import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import static dev.firehose.ingest.ProbeClient.CAMEL_LIVE;
import static dev.firehose.ingest.ProbeClient.CAMEL_READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness follows NATS, through Camel's health-check registry: the service starts while no NATS server answers
 * (503, with the reason, and the relay is not read), becomes ready and ingests everything once NATS is there, is
 * not ready while NATS is stopped and ready again once it is back. {@code /ready} says what Camel's own readiness
 * endpoint says. Liveness ({@code /health}, and Camel's) stays 200 throughout: restarting the pod would not bring
 * NATS back.
 */
class ReadinessTest extends ServiceEndToEndSupport {

    private final ProbeClient probes = new ProbeClient(() -> healthPort);

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        nats.stop();
    }

    @Test
    void readyOnlyWhileNatsIsThere() throws Exception {
        assertThat(probes.status("/ready")).isEqualTo(503);
        assertThat(probes.notReadyReason()).startsWith("NATS");
        assertThat(probes.status(CAMEL_READY)).isEqualTo(503);
        assertThat(probes.downChecks(CAMEL_READY)).contains("nats");
        assertLive();
        assertThat(relay.connectionCount()).as("the relay is not read before NATS is set up").isZero();

        nats.restart();
        // A fresh client: the one made before the outage may still be backing off its reconnects.
        client.close();
        client = Nats.connect(natsUrl());
        awaitReadinessOnBoth(200);
        awaitStoredCursor(corpus.lastSeq());
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(probes.status("/ready")).isEqualTo(200);
        assertThat(probes.status(CAMEL_READY)).isEqualTo(200);

        nats.stop();
        awaitReadinessOnBoth(503);
        assertThat(probes.notReadyReason()).isEqualTo("NATS: disconnected");
        assertThat(probes.downChecks(CAMEL_READY)).containsExactly("nats");
        assertLive();

        nats.restart();
        awaitReadinessOnBoth(200);
        assertLive();
    }

    /** Both readiness endpoints reach {@code status}: the service's and Camel's, read from the same checks. */
    private void awaitReadinessOnBoth(int status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> probes.status("/ready") == status && probes.status(CAMEL_READY) == status);
    }

    private void assertLive() throws Exception {
        assertThat(probes.status("/health")).isEqualTo(200);
        assertThat(probes.json("/health").get("status").asText()).isEqualTo("UP");
        assertThat(probes.status(CAMEL_LIVE)).isEqualTo(200);
    }
}
