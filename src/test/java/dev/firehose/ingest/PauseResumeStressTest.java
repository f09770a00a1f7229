package dev.firehose.ingest;

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
 * Issue 13 item 7 (rule D5 of docs/invariants.md): pause and resume must not lose a wake-up. With
 * {@code MAX_PENDING_POSTS=1} the relay socket is paused after nearly every post and resumed by its PubAck, thousands
 * of times, and 2 MiB frames come again and again between ordinary ones. A lost wake-up would leave the socket paused
 * for ever: instead everything lands over the one connection.
 */
class PauseResumeStressTest extends ServiceEndToEndSupport {

    private static final int LARGE_FRAMES = 20;
    private static final int LARGE_BYTES = 2 * 1024 * 1024;

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("pipeline.max-pending-posts", "1");
        p.setProperty("batch.size", "1"); // a batch may not wait for posts that the bound keeps out
        return p;
    }

    @Override
    protected Corpus buildCorpus() {
        List<RelayFrame> frames = new ArrayList<>();
        List<ExpectedPost> posts = new ArrayList<>();
        long next = FIRST_SEQ;
        for (int i = 0; i < LARGE_FRAMES; i++) {
            Corpus ordinary = FrameCorpus.synthetic(100, next, 70 + i);
            frames.addAll(ordinary.frames());
            posts.addAll(ordinary.posts());
            PostFrames large = new PostFrames(ordinary.lastSeq() + 1);
            large.addLarge("did:plc:pauseresume0000000000000", PostFrames.record("a large commit, number " + i), LARGE_BYTES);
            frames.addAll(large.frames());
            posts.addAll(large.posts());
            next = large.nextSeq();
        }
        return new Corpus(frames, posts, next - 1);
    }

    @Test
    void thousandsOfPausesAndResumesLoseNoWakeUp() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(relay.connectionCount()).as("never stuck long enough to need a reconnect").isEqualTo(1);
    }
}
