package dev.firehose.ingest;

import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.ExpectedPost;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 6, rule D1's one exception: {@code FIREHOSE_START_CURSOR} starts somewhere else than the stored
 * cursor, once per value. A first start from the middle of the stream takes only what follows; a restart with the
 * same setting resumes from the stored cursor (the pod keeps its environment: no second rewind); a new value rewinds
 * a running deployment, and the replayed posts are dropped by the stream's duplicate window (counted as duplicates);
 * {@code live} starts without a cursor.
 */
class StartCursorTest extends ServiceEndToEndSupport {

    /** The synthetic corpus's seqs are consecutive from FIRST_SEQ: this is the frame in the middle. */
    private static final long MIDDLE = FIRST_SEQ + FRAMES / 2;

    private String startCursor = Long.toString(MIDDLE);

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        if (startCursor != null) {
            p.setProperty("firehose.start-cursor", startCursor);
        }
        return p;
    }

    @Test
    void appliedOncePerValueAsAFirstStartARewindOrLive() throws Exception {
        awaitStoredCursor(corpus.lastSeq());
        List<ExpectedPost> afterMiddle = corpus.posts().stream().filter(p -> p.seq() > MIDDLE).toList();
        assertStreamHoldsExactly(expectedPosts(afterMiddle));
        assertThat(relay.requestedCursors()).containsExactly(Long.toString(MIDDLE));
        context.stop();

        // The same setting again: already applied, so the stored cursor wins.
        CamelContext again = startService();
        try {
            awaitRelayConnections(2);
            assertThat(relay.requestedCursors().get(1)).isEqualTo(Long.toString(corpus.lastSeq()));
        } finally {
            again.stop();
        }

        // A new value: a rewind of a running deployment. The replayed posts reach the stream again and are dropped
        // there by their Nats-Msg-Id (the duplicate window is 10 minutes); the earlier posts land now.
        startCursor = Long.toString(FIRST_SEQ - 1);
        CamelContext rewound = startService();
        try {
            awaitRelayConnections(3);
            awaitStoredCursor(corpus.lastSeq());
            assertThat(relay.requestedCursors().get(2)).isEqualTo(Long.toString(FIRST_SEQ - 1));
            assertStreamHoldsExactly(expectedPosts(corpus.posts()));
            IngestMetrics metrics = rewound.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
            assertThat(metrics.count(IngestMetrics.PUBLISH_DUPLICATES)).isEqualTo(expectedPosts(afterMiddle).size());
        } finally {
            rewound.stop();
        }

        startCursor = "live";
        CamelContext live = startService();
        try {
            awaitRelayConnections(4);
            assertThat(relay.requestedCursors().get(3)).as("live: no cursor").isNull();
        } finally {
            live.stop();
        }
    }

    private void awaitRelayConnections(int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> relay.requestedCursors().size() >= n);
    }
}
