package dev.firehose.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.pipeline.RelayErrorPolicy;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stored cursor is beyond the relay's newest frame (another relay's seq space). The relay answers every
 * connect with a {@code FutureCursor} error frame and closes. With FIREHOSE_RESET_ON_FUTURE_CURSOR off (the
 * default) the service keeps its cursor and keeps retrying with it, backing off, reports itself stuck (the
 * {@code relay} readiness check is DOWN with FutureCursor), and publishes nothing.
 */
class RelayFutureCursorTest extends ServiceEndToEndSupport {

    private static final int ATTEMPTS = 4;
    private long stored;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        relay.enforceCursorBounds(true);
        stored = corpus.lastSeq() + 1_000_000;
        StoredCursors.store(client, BUCKET, KEY, stored);
    }

    @Test
    void withoutResetTheServiceRetriesItsCursorAndPublishesNothing() throws Exception {
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        RelayErrorPolicy policy = context.getRegistry().lookupByNameAndType("relayErrorPolicy", RelayErrorPolicy.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> metrics.count(IngestMetrics.RELAY_ERRORS, RelayErrorPolicy.FUTURE_CURSOR) >= ATTEMPTS);

        assertThat(policy.stuckOnFutureCursor()).isTrue();
        HealthCheck.Result relayCheck = HealthCheckHelper.invoke(context, "relay", Map.of()).orElseThrow();
        assertThat(relayCheck.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(relayCheck.getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("relay: FutureCursor"));
        assertThat(relay.requestedCursors()).hasSizeGreaterThanOrEqualTo(ATTEMPTS)
                .containsOnly(Long.toString(stored));
        assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
        // Exponential backoff (1 s, 2 s, 4 s, +-20 %), not a reconnect a second for ever: at least 0.8+1.6+3.2 s.
        List<Long> at = relay.connectedAtNanos();
        assertThat(Duration.ofNanos(at.get(ATTEMPTS - 1) - at.get(0))).isGreaterThan(Duration.ofMillis(5_000));
        assertThat(relay.framesSent()).as("no frame of the relay was sent").isZero();
        assertThat(client.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount()).isZero();
        assertThat(storedCursor()).isEqualTo(stored);
        assertThat(metrics.total(IngestMetrics.MALFORMED_FRAMES)).isZero();

        context.stop();
        assertThat(storedCursor()).as("a clean stop keeps the cursor").isEqualTo(stored);
    }
}
