package dev.firehose.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.ExpectedJetstreamPost;
import dev.firehose.ingest.testsupport.JetstreamCorpus;
import dev.firehose.ingest.testsupport.JetstreamWireEvent;
import dev.firehose.ingest.testsupport.TestJetstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jetstream source end to end ({@link IngestServiceSupport}, {@code FIREHOSE_SOURCE=jetstream}): a real Jetstream
 * websocket server ({@link TestJetstream}) serving events built from the real fixture records, plain or compressed
 * as the subclass says; asserts on what the stream and the KV bucket (key {@code <SERVICE_NAME>.jetstream}) hold.
 */
abstract class JetstreamEndToEndSupport extends IngestServiceSupport {

    protected static final String JETSTREAM_KEY = KEY + ".jetstream";
    protected static final int EVENTS = 2_000;
    /** IngestFlowControl.JETSTREAM_REWIND_MICROS, written out: what the reconnect must ask for. */
    protected static final long REWIND_MICROS = 5_000_000;

    protected TestJetstream jetstream;
    protected JetstreamCorpus corpus;

    /** {@code JETSTREAM_COMPRESS}: binary zstd messages, or text JSON. */
    protected abstract boolean compressed();

    @Override
    protected void startSource() {
        corpus = buildCorpus();
        jetstream = TestJetstream.start(firstEvents());
    }

    @Override
    protected void stopSource() {
        if (jetstream != null) {
            jetstream.close();
        }
    }

    /** The events the server has; by default what a posts-only connection gets. */
    protected JetstreamCorpus buildCorpus() {
        return JetstreamCorpus.posts(EVENTS, 7);
    }

    /** What the first instance gets to see. */
    protected List<JetstreamWireEvent> firstEvents() {
        return corpus.events();
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("firehose.source", "jetstream");
        p.setProperty("jetstream.url", jetstream.url());
        p.setProperty("jetstream.compress", Boolean.toString(compressed()));
        return p;
    }

    protected void awaitStoredCursor(long timeUs) {
        awaitStoredCursor(JETSTREAM_KEY, timeUs);
    }

    /** The oracle: the posts the events create, through the default length rule. */
    protected static List<ExpectedJetstreamPost> expectedPosts(List<ExpectedJetstreamPost> created) {
        return ExpectedJetstreamPost.acceptedByDefaultFilter(created);
    }

    /** Every connection asked for posts only, compressed or not as configured. */
    protected void assertEveryConnectionAskedForPosts() {
        assertThat(jetstream.requestedQueries()).isNotEmpty().allSatisfy(query -> assertThat(query)
                .contains("wantedCollections=app.bsky.feed.post")
                .contains("compress=" + compressed()));
        assertThat(jetstream.compressedConnections()).isEqualTo(compressed() ? jetstream.connectionCount() : 0);
    }

    protected void assertStreamHoldsExactly(List<ExpectedJetstreamPost> expected) throws Exception {
        try {
            checkStreamHoldsExactly(expected);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nservice counters: " + metrics(context).snapshot()
                    + "\njetstream: cursors " + jetstream.requestedCursors() + ", events sent "
                    + jetstream.framesSent() + ", connections " + jetstream.connectionCount(), e);
        }
    }

    private void checkStreamHoldsExactly(List<ExpectedJetstreamPost> expected) throws Exception {
        if (jetstream.connectionCount() == 1) {
            // every event sent was taken: decoded, counted as malformed or skipped as a replay
            IngestMetrics metrics = metrics(context);
            assertThat(metrics.total(IngestMetrics.FRAMES) + metrics.total(IngestMetrics.MALFORMED_FRAMES)
                    + metrics.total(IngestMetrics.FRAMES_REPLAYED)).as("events taken = events sent")
                    .isEqualTo(jetstream.framesSent());
        }
        assertThat(expected).isNotEmpty();
        Map<String, JsonNode> byUri = streamMessages();
        assertThat(byUri.keySet()).containsExactlyInAnyOrderElementsOf(
                expected.stream().map(ExpectedJetstreamPost::uri).toList());
        for (ExpectedJetstreamPost want : expected) {
            JsonNode got = byUri.get(want.uri());
            assertThat(got.get("cid").asText()).isEqualTo(want.cid());
            assertThat(got.get("author").asText()).isEqualTo(want.author());
            assertThat(got.get("rkey").asText()).isEqualTo(want.rkey());
            assertThat(got.get("text").asText()).isEqualTo(want.text());
            assertThat(got.get("created_at").asText()).isEqualTo(want.createdAt());
            assertThat(got.get("seq").isNull()).as("a Jetstream post has no relay seq").isTrue();
            assertThat(got.get("time").asText()).isEqualTo(want.time());
            List<String> langs = new ArrayList<>();
            got.get("langs").forEach(l -> langs.add(l.asText()));
            assertThat(langs).isEqualTo(want.langs());
            assertThat(got.get("_subject").asText())
                    .isEqualTo(SUBJECT + "." + ServiceEndToEndSupport.subjectLanguage(want.langs()));
        }
    }
}
