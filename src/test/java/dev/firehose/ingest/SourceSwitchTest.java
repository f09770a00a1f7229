package dev.firehose.ingest;

import java.time.Duration;
import java.util.Properties;

import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.JetstreamCorpus;
import dev.firehose.ingest.testsupport.TestJetstream;
import dev.firehose.ingest.testsupport.TestRelay;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12, rule D1 across sources: each source keeps its own cursor key in the bucket (the relay's seq under
 * {@code SERVICE_NAME}, Jetstream's {@code time_us} under {@code SERVICE_NAME.jetstream}). Switching
 * {@code FIREHOSE_SOURCE} back and forth never hands a seq to Jetstream nor a time to the relay: each resumes from
 * its own cursor, and the other's is left as it was.
 */
class SourceSwitchTest extends IngestServiceSupport {

    private static final long FIRST_SEQ = 7_000_000;

    private TestRelay relay;
    private TestJetstream jetstream;
    private Corpus frames;
    private JetstreamCorpus events;
    private String source = "relay";

    @Override
    protected void startSource() {
        frames = FrameCorpus.synthetic(500, FIRST_SEQ, 7);
        events = JetstreamCorpus.posts(500, 8);
        relay = TestRelay.start(frames.frames());
        jetstream = TestJetstream.start(events.events());
    }

    @Override
    protected void stopSource() {
        if (relay != null) {
            relay.close();
        }
        if (jetstream != null) {
            jetstream.close();
        }
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("firehose.source", source);
        p.setProperty("firehose.url", relay.url());
        p.setProperty("jetstream.url", jetstream.url());
        return p;
    }

    @Test
    void eachSourceResumesFromItsOwnKeyAndLeavesTheOthersAlone() throws Exception {
        String jetstreamKey = KEY + ".jetstream";
        awaitStoredCursor(KEY, frames.lastSeq());
        assertThat(storedCursor(jetstreamKey)).isEqualTo(-1);
        assertThat(jetstream.connectionCount()).as("only the selected source is read").isZero();
        context.stop();

        source = "jetstream";
        CamelContext onJetstream = startService();
        try {
            awaitStoredCursor(jetstreamKey, events.lastTimeUs());
            assertThat(jetstream.requestedCursors()).as("no cursor of its own yet: not the relay's seq")
                    .containsExactly((String) null);
            assertThat(onJetstream.getRoute("firehose-ingest")).as("the relay route is not loaded").isNull();
            assertThat(onJetstream.getRoute("jetstream-ingest")).isNotNull();
        } finally {
            onJetstream.stop();
        }
        assertThat(storedCursor(KEY)).as("the relay's cursor is left as it was").isEqualTo(frames.lastSeq());
        assertThat(relay.connectionCount()).isEqualTo(1);

        source = "relay";
        CamelContext backOnRelay = startService();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.connectionCount() == 2);
            assertThat(relay.requestedCursors()).as("the relay gets its own seq back, never a time")
                    .containsExactly(null, Long.toString(frames.lastSeq()));
        } finally {
            backOnRelay.stop();
        }
        assertThat(storedCursor(jetstreamKey)).isEqualTo(events.lastTimeUs());
        assertThat(jetstream.connectionCount()).isEqualTo(1);
    }
}
