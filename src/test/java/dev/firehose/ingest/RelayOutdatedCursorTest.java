package dev.firehose.ingest;

import dev.firehose.ingest.metrics.IngestMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored cursor is older than anything the relay still has. Like a real relay, it answers with an
 * {@code #info OutdatedCursor} frame and replays from its oldest frame: the service counts the info (the gap is
 * real and only visible there), takes every frame the relay has, and its cursor moves on to the relay's last seq.
 */
class RelayOutdatedCursorTest extends ServiceEndToEndSupport {

    private long stored;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        relay.enforceCursorBounds(true);
        stored = corpus.frames().get(0).seq() - 10_000;
        StoredCursors.store(client, BUCKET, KEY, stored);
    }

    @Test
    void outdatedCursorIsCountedAndEveryFrameTheRelayHasLands() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());
        assertThat(relay.requestedCursors()).containsExactly(Long.toString(stored));
        assertThat(relay.outdatedCursorInfosSent()).isEqualTo(1);
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        assertThat(metrics.count(IngestMetrics.RELAY_INFO, "OutdatedCursor")).isEqualTo(1);
        assertThat(metrics.total(IngestMetrics.RELAY_ERRORS)).isZero();
        assertThat(metrics.total(IngestMetrics.MALFORMED_FRAMES)).isZero();
        assertThat(metrics.count(IngestMetrics.FRAMES_REPLAYED)).isZero();
    }
}
