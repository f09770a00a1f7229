package dev.firehose.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.RelayFrame;
import dev.firehose.ingest.testsupport.TestRelay;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay source end to end ({@link IngestServiceSupport}): a real websocket relay replaying binary frames built
 * from the real fixture records; asserts on what the stream and the KV bucket hold.
 */
abstract class ServiceEndToEndSupport extends IngestServiceSupport {

    protected static final int FRAMES = 3_000;
    protected static final long FIRST_SEQ = 5_000_000;

    protected TestRelay relay;
    protected Corpus corpus;

    @Override
    protected void startSource() {
        corpus = buildCorpus();
        relay = TestRelay.start(firstFrames());
    }

    @Override
    protected void stopSource() {
        if (relay != null) {
            relay.close();
        }
    }

    /** The frames the relay has, and the posts they create. */
    protected Corpus buildCorpus() {
        return FrameCorpus.synthetic(FRAMES, FIRST_SEQ, 7);
    }

    /** What the first instance gets to see; the test methods decide. */
    protected List<RelayFrame> firstFrames() {
        return corpus.frames();
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("firehose.url", relay.url());
        return p;
    }

    protected void awaitStoredCursor(long seq) {
        awaitStoredCursor(KEY, seq);
    }

    protected long storedCursor() throws Exception {
        return storedCursor(KEY);
    }

    /** The oracle: the posts the corpus created, through the default length rule (10..1000 code points). */
    protected static List<ExpectedPost> expectedPosts(List<ExpectedPost> created) {
        return ExpectedPosts.acceptedByDefaultFilter(created);
    }

    protected void assertStreamHoldsExactly(List<ExpectedPost> expected) throws Exception {
        try {
            checkStreamHoldsExactly(expected);
        } catch (AssertionError e) {
            // What the service saw, to tell a lost frame from a lost publish.
            Object metrics = context.getRegistry().lookupByName("ingestMetrics");
            throw new AssertionError(e.getMessage() + "\nservice counters: "
                    + (metrics == null ? "-" : ((IngestMetrics) metrics).snapshot())
                    + "\nrelay: cursors " + relay.requestedCursors() + ", frames sent " + relay.framesSent()
                    + ", connections " + relay.connectionCount(), e);
        }
    }

    /**
     * Over one relay connection, every frame the relay sent was taken by the service, decoded or counted as
     * malformed: a frame lost in transport would be invisible to the cursor (it only knows the frames it saw).
     */
    private void checkEveryFrameSentWasTaken() {
        Object found = context.getRegistry().lookupByName("ingestMetrics");
        if (relay.connectionCount() != 1 || !(found instanceof IngestMetrics metrics)) {
            return;
        }
        long taken = metrics.total(IngestMetrics.FRAMES) + metrics.total(IngestMetrics.MALFORMED_FRAMES)
                + metrics.total(IngestMetrics.FRAMES_REPLAYED);
        long sent = relay.framesSent() + relay.outdatedCursorInfosSent() + relay.futureCursorErrorsSent();
        assertThat(taken).as("frames taken by the service = frames the relay sent").isEqualTo(sent);
    }

    private void checkStreamHoldsExactly(List<ExpectedPost> expected) throws Exception {
        checkEveryFrameSentWasTaken();
        assertThat(expected).isNotEmpty();
        Map<String, JsonNode> byUri = streamMessages();
        long count = byUri.size();
        assertThat(byUri.keySet()).containsExactlyInAnyOrderElementsOf(
                expected.stream().map(ExpectedPost::uri).toList());
        assertThat(count).isEqualTo(expected.size());
        for (ExpectedPost want : expected) {
            JsonNode got = byUri.get(want.uri());
            assertThat(got.get("cid").asText()).isEqualTo(want.cid());
            assertThat(got.get("author").asText()).isEqualTo(want.author());
            assertThat(got.get("rkey").asText()).isEqualTo(want.rkey());
            assertThat(got.get("text").asText()).isEqualTo(want.text());
            assertThat(got.get("created_at").asText()).isEqualTo(want.createdAt());
            assertThat(got.get("seq").asLong()).isEqualTo(want.seq());
            List<String> langs = new ArrayList<>();
            got.get("langs").forEach(l -> langs.add(l.asText()));
            assertThat(langs).isEqualTo(want.langs());
            assertThat(got.get("_subject").asText()).isEqualTo(SUBJECT + "." + subjectLanguage(want.langs()));
        }
    }

    /** The subject token a post's languages give, computed apart from the production code. */
    static String subjectLanguage(List<String> langs) {
        if (langs.isEmpty()) {
            return "und";
        }
        String primary = langs.get(0).split("[-_]")[0].toLowerCase(Locale.ROOT);
        return primary.matches("[a-z]{2,3}") ? primary : "und";
    }
}
