package dev.firehose.ingest;

import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.atproto.MalformedFrameException;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.PostFrames;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule D3 of docs/invariants.md: a malformed frame never moves the cursor to a seq it invents. In the middle of a
 * replay comes a frame whose body claims a seq a billion ahead, and then fails to decode (its repo is missing). The
 * frames after it, with ordinary seqs, are not mistaken for replays: every good post lands, the cursor stops at the
 * last good frame, nothing is counted as replayed.
 */
class CorruptSeqTest extends ServiceEndToEndSupport {

    private static final long FAR_AHEAD = 1_000_000_000L;

    private RelayFrame corrupt;

    @Override
    protected Corpus buildCorpus() {
        Corpus before = FrameCorpus.synthetic(1_000, FIRST_SEQ, 41);
        PostFrames crafted = new PostFrames(before.lastSeq() + 1);
        corrupt = crafted.addDamaged("did:plc:corruptseq000000000000000", PostFrames.record("a post that never lands"),
                body -> {
                    body.put("seq", body.get("seq").asLong() + FAR_AHEAD);
                    body.remove("repo");
                    return body;
                });
        Corpus after = FrameCorpus.synthetic(1_000, crafted.nextSeq(), 42);
        List<RelayFrame> frames = new ArrayList<>(before.frames());
        frames.addAll(crafted.frames());
        frames.addAll(after.frames());
        List<ExpectedPost> posts = new ArrayList<>(before.posts());
        posts.addAll(after.posts());
        return new Corpus(frames, posts, after.lastSeq());
    }

    @Test
    void everyGoodFrameAfterAFarAheadCorruptSeqIsDelivered() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        assertThat(metrics.count(IngestMetrics.MALFORMED_FRAMES, MalformedFrameException.Reason.BAD_BODY.name()))
                .isEqualTo(1);
        assertThat(metrics.count(IngestMetrics.FRAMES_REPLAYED)).isZero();
        assertThat(storedCursor()).as("never the corrupt frame's claimed seq").isEqualTo(corpus.lastSeq())
                .isLessThan(corrupt.seq() + FAR_AHEAD);
    }
}
