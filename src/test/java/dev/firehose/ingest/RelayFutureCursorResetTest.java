package dev.firehose.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.pipeline.RelayErrorPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * As {@link RelayFutureCursorTest}, with FIREHOSE_RESET_ON_FUTURE_CURSOR=true: after the first FutureCursor the
 * service forgets the old seq space, reconnects without a cursor, ingests the relay's frames, and its stored
 * cursor then follows the new relay's seqs (lower than the old one), including on the next reconnect.
 */
class RelayFutureCursorResetTest extends ServiceEndToEndSupport {

    private long stored;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        relay.enforceCursorBounds(true);
        stored = corpus.lastSeq() + 1_000_000;
        StoredCursors.store(client, BUCKET, KEY, stored);
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("firehose.reset-on-future-cursor", "true");
        return p;
    }

    @Test
    void withResetTheServiceStartsOverOnTheNewRelayAndFollowsItsSeqs() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());
        assertThat(relay.requestedCursors()).containsExactly(Long.toString(stored), null);
        assertThat(relay.futureCursorErrorsSent()).isEqualTo(1);
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        RelayErrorPolicy policy = context.getRegistry().lookupByNameAndType("relayErrorPolicy", RelayErrorPolicy.class);
        assertThat(metrics.count(IngestMetrics.RELAY_ERRORS, RelayErrorPolicy.FUTURE_CURSOR)).isEqualTo(1);
        assertThat(policy.stuckOnFutureCursor()).isFalse();

        // The next reconnect asks the new relay for the new seq space's cursor, which it accepts.
        relay.closeAllConnections();
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.connectionCount() == 3);
        List<String> cursors = relay.requestedCursors();
        assertThat(cursors.get(2)).isEqualTo(Long.toString(corpus.lastSeq()));
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> relay.openConnections() == 1);
        assertThat(relay.futureCursorErrorsSent()).isEqualTo(1);
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());
    }
}
