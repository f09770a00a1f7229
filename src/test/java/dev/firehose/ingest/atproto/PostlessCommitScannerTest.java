package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.FixtureFrame;
import dev.firehose.ingest.testsupport.FrameBuilder;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path for commits without post ops changes what a frame costs, never what it decodes to: whenever
 * {@link PostlessCommitScanner} returns an event, the full Jackson path returns the same one, on real frames, on the
 * synthetic live mix and on mutations of both; and the frames it is for really take it.
 */
class PostlessCommitScannerTest {

    private static final int MUTATIONS = Integer.getInteger("fuzz.iterations", 100_000);
    private static final long SEED = Long.getLong("fuzz.seed", 0x5CA77EDL);

    private final FrameDecoder decoder = new FrameDecoder();

    @Test
    void takesRealCommitsWithoutPostOpsAndDeclinesTheRest() throws MalformedFrameException {
        int taken = 0;
        for (FixtureFrame f : FirehoseFixtures.all()) {
            FirehoseEvent fast = PostlessCommitScanner.scan(f.bytes(), decoder.limits());
            boolean postless = FirehoseEvent.COMMIT.equals(f.type()) && !f.body().path("ops").toString()
                    .contains("app.bsky.feed.post/");
            if (fast != null) {
                taken++;
                assertSameEvent(f.name(), fast, decoder.decodeFully(f.bytes()));
            }
            if (!postless) {
                assertThat(fast).as(f.name()).isNull();
            }
        }
        assertThat(taken).isPositive();
    }

    @Test
    void takesMostOfTheLiveMixWithTheSameEvents() throws MalformedFrameException {
        int taken = 0;
        List<RelayFrame> frames = FrameCorpus.synthetic(2_000, 1, 7).frames();
        for (RelayFrame frame : frames) {
            FirehoseEvent fast = PostlessCommitScanner.scan(frame.bytes(), decoder.limits());
            if (fast != null) {
                taken++;
                assertSameEvent("seq " + frame.seq(), fast, decoder.decodeFully(frame.bytes()));
                assertThat(fast.seq()).isEqualTo(frame.seq());
            }
        }
        // likes, reposts, follows and other records' deletes: ~75 of every 100 frames of the mix
        assertThat(taken).isGreaterThan(frames.size() * 6 / 10);
    }

    @Test
    void declinesWhatItDoesNotReadTheSameWay() {
        ObjectNode like = JSON.createObjectNode();
        like.put("seq", 5).put("repo", "did:plc:abc").put("time", "2024-01-01T00:00:00Z").put("rev", "r")
                .put("blocks", new byte[] {1});
        like.putArray("ops").addObject().put("action", "create").put("path", "app.bsky.feed.like/3k").putNull("cid");
        byte[] frame = FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.COMMIT), like);
        assertThat(PostlessCommitScanner.scan(frame, decoder.limits())).isNotNull();

        assertThat(PostlessCommitScanner.scan(TestFrames.concat(frame, new byte[] {0}), decoder.limits()))
                .as("trailing bytes").isNull();
        ObjectNode post = like.deepCopy();
        ((ObjectNode) post.get("ops").get(0)).put("path", "app.bsky.feed.post/3k");
        assertThat(PostlessCommitScanner.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.COMMIT), post),
                decoder.limits())).as("a post create").isNull();
        ((ObjectNode) post.get("ops").get(0)).put("action", "delete");
        assertThat(PostlessCommitScanner.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.COMMIT), post),
                decoder.limits())).as("a post delete").isNull();
        ObjectNode noRepo = like.deepCopy();
        noRepo.remove("repo");
        assertThat(PostlessCommitScanner.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.COMMIT), noRepo),
                decoder.limits())).as("a required field missing").isNull();
        ObjectNode badRepo = like.deepCopy().put("repo", "plc:abc");
        assertThat(PostlessCommitScanner.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.COMMIT), badRepo),
                decoder.limits())).as("a repo that is no DID").isNull();
        ObjectNode negativeSeq = like.deepCopy().put("seq", -5);
        assertThat(PostlessCommitScanner.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.COMMIT),
                negativeSeq), decoder.limits())).as("a negative seq").isNull();
        assertThat(PostlessCommitScanner.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.IDENTITY), like),
                decoder.limits())).as("not a commit").isNull();
    }

    @Test
    void agreesWithTheFullPathOnMutatedFrames() {
        List<byte[]> seeds = new ArrayList<>(FrameMutations.seeds());
        for (RelayFrame frame : FrameCorpus.synthetic(300, 1, 11).frames()) {
            seeds.add(frame.bytes());
        }
        SplittableRandom random = new SplittableRandom(SEED);
        int taken = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] frame = FrameMutations.mutate(seeds, random);
            FirehoseEvent fast = PostlessCommitScanner.scan(frame, decoder.limits());
            if (fast == null) {
                continue;
            }
            taken++;
            String what = "mutation " + i + " (seed " + SEED + ")";
            try {
                assertSameEvent(what, fast, decoder.decodeFully(frame));
            } catch (MalformedFrameException e) {
                throw new AssertionError(what + ": the fast path took a frame the full path rejects: " + e, e);
            }
        }
        System.out.printf("postless fuzz: %d mutations (seed %d), %d taken by the fast path%n", MUTATIONS, SEED, taken);
        assertThat(taken).isGreaterThan(MUTATIONS / 10);
    }

    private static void assertSameEvent(String what, FirehoseEvent fast, FirehoseEvent full) {
        assertThat(describe(fast)).as(what).isEqualTo(describe(full));
    }

    private static String describe(FirehoseEvent e) {
        return e.op() + " " + e.type() + " seq=" + e.seq() + " repo=" + e.repo() + " time=" + e.time() + " posts="
                + e.posts() + " problems=" + e.recordProblems() + " fields=" + e.fieldProblems() + " deletes="
                + e.postDeletes();
    }
}
