package dev.firehose.ingest;

import java.time.Duration;

import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.metrics.IngestMetrics;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nats-server is stopped (gracefully, SIGTERM) in the middle of a paced replay and started again 7 s later on the
 * same port with the same store: the service, left alone, reconnects, re-publishes what had no PubAck, and ends
 * exactly as after an uninterrupted run, without reporting its own cursor writes as a second writer's.
 */
class NatsRestartTest extends ServiceEndToEndSupport {

    /**
     * 3,000 frames at 600 frames/s: about 5 s of replay; the outage starts at ~30% of it and lasts 7 s, longer
     * than a KV request's timeout (2 s, jnats' default), so cursor writes fail while NATS is away, and long
     * enough for jnats to make several reconnect attempts.
     */
    private static final int RATE = 600;
    private static final long OUTAGE_MILLIS = 7_000;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        relay.setRate(RATE);
    }

    @Test
    void theServiceRecoversByItselfFromANatsRestartMidStream() throws Exception {
        DeliveryWatermark watermark = context.getRegistry()
                .lookupByNameAndType("deliveryWatermark", DeliveryWatermark.class);
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        long outageAt = FIRST_SEQ + FRAMES * 3L / 10;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> watermark.lastDecoded() >= outageAt);

        nats.stop();
        long framesAtStop = watermark.lastDecoded();
        long watermarkAtStop = watermark.watermark();
        Thread.sleep(OUTAGE_MILLIS);
        long framesDuringOutage = watermark.lastDecoded() - framesAtStop;
        long watermarkAfterOutage = watermark.watermark();
        nats.restart();
        long restartedAt = System.nanoTime();
        // The test's own connection went through the same outage; a fresh one keeps the checks independent of
        // jnats' reconnect (which the service has to survive, not the test).
        client.close();
        client = Nats.connect(nats.url());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> storedCursor() == corpus.lastSeq());
        double recoverySeconds = (System.nanoTime() - restartedAt) / 1e9;

        System.out.printf("nats restart: stopped at frame %d (watermark %d), %d frames read during the %d ms"
                        + " outage, watermark %d after it; cursor at the last seq %.1f s after the restart; %s%n",
                framesAtStop - FIRST_SEQ, watermarkAtStop - FIRST_SEQ, framesDuringOutage, OUTAGE_MILLIS,
                watermarkAfterOutage - FIRST_SEQ, recoverySeconds, metrics.snapshot());
        assertThat(framesAtStop).as("the outage starts mid-stream").isLessThan(corpus.lastSeq() - FRAMES / 2);
        assertThat(watermarkAfterOutage).as("nothing is durable while NATS is away").isEqualTo(watermarkAtStop);
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());
        assertThat(watermark.heldPosts()).isZero();
        assertThat(metrics.count(IngestMetrics.POSTS_PUBLISHED)).isEqualTo(expectedPosts(corpus.posts()).size());
        // Our own cursor writes that timed out during the outage and landed later are not a second writer.
        assertThat(metrics.count(IngestMetrics.CURSOR_CONFLICTS)).isZero();
        // The relay was never dropped: NATS being away only held the reader back.
        assertThat(relay.requestedCursors()).containsExactly((String) null);
        assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
    }
}
