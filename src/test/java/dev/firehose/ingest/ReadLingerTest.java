package dev.firehose.ingest;

import java.time.Duration;
import java.util.List;

import dev.firehose.ingest.testsupport.CamelRouteMetrics;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read linger (FIREHOSE_READ_LINGER_MS, default 300 ms): a relay that sends a few frames at a time, as the live
 * stream does, still gets dozens of frames per exchange, so the per-exchange work and the event loop's wake-ups are
 * paid once per read instead of once per frame; and nothing is lost or doubled for it.
 */
class ReadLingerTest extends ServiceEndToEndSupport {

    private static final int FRAMES_PER_SECOND = 600;

    @Override
    protected List<RelayFrame> firstFrames() {
        return List.of(); // the test paces the frames itself
    }

    @Test
    void aPacedRelayIsReadInBatchesOfDozensOfFrames() throws Exception {
        ProbeClient probes = new ProbeClient(() -> healthPort);
        relay.setRate(FRAMES_PER_SECOND);
        relay.append(corpus.frames());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> storedCursor() == corpus.lastSeq());

        long exchanges = CamelRouteMetrics.exchanges(probes.get("/metrics").body(), "firehose-ingest");
        // 600 frames/s over a 300 ms linger: ~180 frames a read (two exchanges); a twelfth of that leaves room for a
        // slow machine
        assertThat(exchanges).isPositive().isLessThan(corpus.frames().size() / 15);
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
    }
}
