package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.FixtureFrame;
import dev.firehose.ingest.testsupport.FrameBuilder;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path changes what a frame costs, never what it decodes to: whenever {@link FrameScanner} returns an event,
 * the full Jackson path returns the same one, posts and problems included, on real frames, on the synthetic live mix
 * and on mutations of both; and the frames it is for really take it.
 */
class FrameScannerTest {

    private static final int MUTATIONS = Integer.getInteger("fuzz.iterations", 100_000);
    private static final long SEED = Long.getLong("fuzz.seed", 0x5CA77EDL);

    private static final Set<String> SCANNED_TYPES = Set.of(
            FirehoseEvent.COMMIT, FirehoseEvent.IDENTITY, FirehoseEvent.ACCOUNT, FirehoseEvent.SYNC);

    private final FrameDecoder decoder = new FrameDecoder();

    @Test
    void takesRealCommitsAndRepoEventsAndDeclinesTheRest() throws MalformedFrameException {
        int taken = 0;
        int posts = 0;
        for (FixtureFrame f : FirehoseFixtures.all()) {
            FirehoseEvent fast = decoder.scan(f.bytes());
            if (fast != null) {
                taken++;
                posts += fast.posts().size();
                assertSameEvent(f.name(), fast, decoder.decodeFully(f.bytes()));
            }
            if (f.type() == null || !SCANNED_TYPES.contains(f.type())) {
                assertThat(fast).as(f.name()).isNull();
            }
        }
        assertThat(taken).isPositive();
        assertThat(posts).isPositive();
    }

    @Test
    void takesMostOfTheLiveMixWithTheSameEvents() throws MalformedFrameException {
        int taken = 0;
        List<RelayFrame> frames = FrameCorpus.synthetic(2_000, 1, 7).frames();
        for (RelayFrame frame : frames) {
            FirehoseEvent fast = decoder.scan(frame.bytes());
            if (fast != null) {
                taken++;
                assertSameEvent("seq " + frame.seq(), fast, decoder.decodeFully(frame.bytes()));
                assertThat(fast.seq()).isEqualTo(frame.seq());
            }
        }
        // every frame of the mix is a commit or a repo event in canonical form
        assertThat(taken).isGreaterThan(frames.size() * 95 / 100);
    }

    @Test
    void declinesWhatItDoesNotReadTheSameWay() {
        ObjectNode like = JSON.createObjectNode();
        like.put("seq", 5).put("repo", "did:plc:abc").put("time", "2024-01-01T00:00:00Z").put("rev", "r")
                .put("blocks", new byte[] {1});
        like.putArray("ops").addObject().put("action", "create").put("path", "app.bsky.feed.like/3k").putNull("cid");
        byte[] frame = FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.COMMIT), like);
        assertThat(decoder.scan(frame)).isNotNull();

        assertThat(decoder.scan(TestFrames.concat(frame, new byte[] {0}))).as("trailing bytes").isNull();
        ObjectNode postCreate = like.deepCopy();
        ((ObjectNode) postCreate.get("ops").get(0)).put("path", "app.bsky.feed.post/3k");
        assertThat(decoder.scan(commit(postCreate))).as("a post create without a CID").isNull();
        ObjectNode postDelete = postCreate.deepCopy();
        ((ObjectNode) postDelete.get("ops").get(0)).put("action", "delete");
        assertThat(decoder.scan(commit(postDelete))).as("a post delete").isNotNull()
                .satisfies(e -> assertThat(e.postDeletes()).hasSize(1));
        ObjectNode noRepo = like.deepCopy();
        noRepo.remove("repo");
        assertThat(decoder.scan(commit(noRepo))).as("a required field missing").isNull();
        ObjectNode badRepo = like.deepCopy().put("repo", "plc:abc");
        assertThat(decoder.scan(commit(badRepo))).as("a repo that is no DID").isNull();
        ObjectNode negativeSeq = like.deepCopy().put("seq", -5);
        assertThat(decoder.scan(commit(negativeSeq))).as("a negative seq").isNull();
        assertThat(decoder.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.IDENTITY), like)))
                .as("an #identity without did").isNull();
        ObjectNode identity = JSON.createObjectNode().put("seq", 6).put("did", "did:plc:abc")
                .put("time", "2024-01-01T00:00:00Z").put("handle", "a.example");
        assertThat(decoder.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.IDENTITY), identity)))
                .as("an #identity").isNotNull();
        assertThat(decoder.scan(FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.INFO), identity)))
                .as("an #info").isNull();
    }

    private static byte[] commit(ObjectNode body) {
        return FrameBuilder.frame(FrameBuilder.header(FirehoseEvent.COMMIT), body);
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
            FirehoseEvent fast = decoder.scan(frame);
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
        System.out.printf("scanner fuzz: %d mutations (seed %d), %d taken by the fast path%n", MUTATIONS, SEED, taken);
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
