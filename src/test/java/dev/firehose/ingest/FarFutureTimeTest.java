package dev.firehose.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.PostFrames;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 2: a commit whose relay {@code time} is half a billion years ahead (it parses, and then overflows
 * epoch milliseconds) once made the duplicate-text rule throw for ever and {@code /health/detailed} answer 500. With
 * the duplicate rule on, it and the normal frames after it all land, the cursor reaches the end, and the detailed
 * health report answers 200 with no lag it cannot compute.
 */
class FarFutureTimeTest extends ServiceEndToEndSupport {

    private static final String FAR_FUTURE = "+500000000-01-01T00:00:00Z";

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("filter.duplicate-window", "10m");
        return p;
    }

    @Override
    protected Corpus buildCorpus() {
        Corpus before = FrameCorpus.synthetic(500, FIRST_SEQ, 61);
        PostFrames crafted = new PostFrames(before.lastSeq() + 1);
        crafted.add("did:plc:farfuturetime00000000000", PostFrames.record("a post from the end of time", "en"),
                body -> body.put("time", FAR_FUTURE));
        Corpus after = FrameCorpus.synthetic(1_000, crafted.nextSeq(), 62);
        // and the last frame too, so that the health report's lag is computed from such a time
        PostFrames last = new PostFrames(after.lastSeq() + 1);
        last.add("did:plc:farfuturetime00000000000", PostFrames.record("the very last post of all time", "en"),
                body -> body.put("time", FAR_FUTURE));
        List<RelayFrame> frames = new ArrayList<>(before.frames());
        frames.addAll(crafted.frames());
        frames.addAll(after.frames());
        frames.addAll(last.frames());
        List<ExpectedPost> posts = new ArrayList<>(before.posts());
        posts.addAll(crafted.posts());
        posts.addAll(after.posts());
        posts.addAll(last.posts());
        return new Corpus(frames, posts, last.nextSeq() - 1);
    }

    @Test
    void aFarFutureCommitTimeNeitherStopsTheFilterNorTheHealthReport() throws Exception {
        awaitStoredCursor(corpus.lastSeq());
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));

        HttpResponse<String> detailed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + healthPort + "/health/detailed")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(detailed.statusCode()).isEqualTo(200);
    }
}
