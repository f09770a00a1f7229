package dev.firehose.ingest;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay closes the connection every 250 frames of a 3000-frame replay. The service reconnects each time with
 * its exact cursor, one socket at a time, never asking for an older cursor than before, and the stream ends up
 * exactly as after one uninterrupted run.
 */
class RelayDropsTest extends ServiceEndToEndSupport {

    private static final int CLOSE_EVERY = 250;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        relay.closeEvery(CLOSE_EVERY);
    }

    @Test
    void everyPostLandsOnceAcrossRepeatedRelayCloses() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());
        assertThat(relay.maxConcurrentConnections()).isEqualTo(1);

        List<String> cursors = relay.requestedCursors();
        // At least one reconnect per 250 frames; a reconnect whose cursor lagged behind gets some frames again.
        assertThat(cursors.size()).isGreaterThanOrEqualTo(FRAMES / CLOSE_EVERY);
        assertThat(cursors.get(0)).as("first connect, nothing stored").isNull();
        Set<Long> corpusSeqs = corpus.frames().stream().map(RelayFrame::seq).collect(Collectors.toSet());
        long previous = Long.MIN_VALUE;
        for (String cursor : cursors.subList(1, cursors.size())) {
            assertThat(cursor).as("every reconnect carries a cursor").isNotNull();
            long seq = Long.parseLong(cursor);
            assertThat(corpusSeqs).as("requested cursor %s is a seq of the corpus", seq).contains(seq);
            assertThat(seq).as("requested cursors never go back").isGreaterThanOrEqualTo(previous);
            previous = seq;
        }

        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        assertThat(metrics.total(IngestMetrics.MALFORMED_FRAMES)).isZero();
        // Frames taken once each; any frame the relay sent again after a lagging cursor was skipped, not re-run.
        assertThat(relay.framesSent() - metrics.count(IngestMetrics.FRAMES_REPLAYED)).isEqualTo(FRAMES);
    }
}
