package dev.firehose.ingest;

import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.FreePorts;
import dev.firehose.ingest.testsupport.TestRelay;
import org.junit.jupiter.api.Test;

import static dev.firehose.ingest.ProbeClient.CAMEL_LIVE;
import static dev.firehose.ingest.ProbeClient.CAMEL_READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The checks beside {@code nats}, with NATS up and nothing listening where the relay should be: readiness is DOWN
 * for the relay alone and liveness stays UP (the consumer keeps reconnecting); liveness goes DOWN only when the
 * route that reads the relay is stopped, which nothing in the service undoes, and comes back when it is started.
 */
class HealthChecksTest extends ServiceEndToEndSupport {

    private static final String RELAY_ROUTE = "firehose-ingest";

    private final ProbeClient probes = new ProbeClient(() -> healthPort);

    @Override
    protected Corpus buildCorpus() {
        return FrameCorpus.synthetic(10, FIRST_SEQ, 7); // never sent: the service is pointed elsewhere
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("firehose.url", "ws://127.0.0.1:" + FreePorts.next() + TestRelay.PATH);
        return p;
    }

    @Test
    void unreachableRelayMakesReadinessDownAndLeavesLivenessUp() throws Exception {
        // once NATS is set up, the relay is the only reason left
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "relay: not connected".equals(probes.notReadyReason()));
        assertThat(probes.status("/ready")).isEqualTo(503);
        assertThat(probes.status(CAMEL_READY)).isEqualTo(503);
        assertThat(probes.downChecks(CAMEL_READY)).containsExactly("relay");
        assertThat(probes.status("/health")).isEqualTo(200);
        assertThat(probes.status(CAMEL_LIVE)).isEqualTo(200);

        JsonNode report = probes.json("/health/detailed");
        assertThat(report.at("/relay/state").asText()).isEqualTo("DISCONNECTED");
        assertThat(report.at("/reason").asText()).isEqualTo("relay: not connected");
        assertThat(checkStatus(report, "relay")).isEqualTo("DOWN");
        assertThat(checkStatus(report, "nats")).isEqualTo("UP");
        assertThat(checkStatus(report, "pipeline")).isEqualTo("UP");
        assertThat(relay.connectionCount()).isZero();
    }

    @Test
    void stoppedRelayRouteMakesLivenessDownUntilItIsStartedAgain() throws Exception {
        assertThat(probes.status("/health")).isEqualTo(200);

        context.getRouteController().stopRoute(RELAY_ROUTE);
        assertThat(probes.status("/health")).isEqualTo(503);
        JsonNode down = probes.json("/health");
        assertThat(down.get("status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/checks/0/name").asText()).isEqualTo("pipeline");
        assertThat(down.at("/checks/0/message").asText()).isEqualTo("pipeline: route firehose-ingest is Stopped");
        assertThat(probes.status(CAMEL_LIVE)).isEqualTo(503);
        assertThat(probes.downChecks(CAMEL_LIVE)).containsExactly("pipeline");
        assertThat(probes.downChecks(CAMEL_READY)).contains("pipeline", "route:" + RELAY_ROUTE);

        context.getRouteController().startRoute(RELAY_ROUTE);
        assertThat(probes.status("/health")).isEqualTo(200);
        assertThat(probes.status(CAMEL_LIVE)).isEqualTo(200);
    }

    private static String checkStatus(JsonNode report, String name) {
        for (JsonNode check : report.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check.path("status").asText();
            }
        }
        return null;
    }
}
