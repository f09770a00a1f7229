package dev.firehose.ingest;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.CarBlock;
import dev.firehose.ingest.testsupport.CarWriter;
import dev.firehose.ingest.testsupport.Cids;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameBuilder;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.RelayFrame;
import dev.firehose.ingest.testsupport.RepoRecords;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relays send commits of several MiB (the stock client caps messages at 256 KiB and then loops on the same
 * frame forever). A 3 MiB commit carrying a post, between ordinary frames, must come through like any other.
 */
class LargeFrameTest extends ServiceEndToEndSupport {

    private static final int BIG_FRAME_BYTES = 3 * 1024 * 1024;
    private static final int BLOCK_BYTES = 64 * 1024;

    @Override
    protected Corpus buildCorpus() {
        Corpus before = FrameCorpus.synthetic(200, FIRST_SEQ, 11);
        long bigSeq = before.lastSeq() + 1;
        Corpus after = FrameCorpus.synthetic(200, bigSeq + 1, 12);

        RepoRecords.RecordBlock record = RepoRecords.load().posts().get(0);
        String did = "did:plc:bigcommitauthor0000000000";
        String rkey = "3lbigcommit222";
        // Many ordinary-sized blocks (as in a large MST diff), none above the decoder's per-block limit.
        List<CarBlock> blocks = new ArrayList<>(List.of(record.block()));
        Random random = new Random(1);
        for (int i = 0; i < BIG_FRAME_BYTES / BLOCK_BYTES; i++) {
            byte[] padding = new byte[BLOCK_BYTES];
            random.nextBytes(padding);
            blocks.add(new CarBlock(Cids.cidV1(Cids.CODEC_RAW, padding), padding));
        }
        CarBlock commit = CarBlock.ofDagCbor(record.block().data());
        byte[] car = CarWriter.write(List.of(commit.cid()), blocks);

        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode body = json.objectNode();
        ObjectNode op = body.putArray("ops").addObject();
        op.put("action", "create");
        op.put("path", RepoRecords.POST + "/" + rkey);
        op.putObject("cid").put("$link", record.block().cidText());
        body.put("seq", bigSeq);
        body.put("repo", did);
        body.put("rev", "3lbigcommit222");
        body.putNull("since");
        body.put("time", "2025-04-16T21:30:00.000Z");
        body.putObject("commit").put("$link", commit.cidText());
        body.putObject("blocks").put("$bytes", Base64.getEncoder().encodeToString(car));
        body.putArray("blobs");
        body.put("rebase", false);
        body.put("tooBig", false);
        byte[] bigFrame = FrameBuilder.frame(FrameBuilder.header("#commit"), body);
        assertThat(bigFrame.length).isGreaterThan(BIG_FRAME_BYTES);

        List<RelayFrame> frames = new ArrayList<>(before.frames());
        frames.add(new RelayFrame(bigSeq, bigFrame));
        frames.addAll(after.frames());
        List<ExpectedPost> posts = new ArrayList<>(before.posts());
        posts.add(ExpectedPosts.of(did, rkey, record.block(), bigSeq));
        posts.addAll(after.posts());
        return new Corpus(frames, posts, after.lastSeq());
    }

    @Test
    void aThreeMebibyteCommitPassesWithItsNeighbours() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(relay.connectionCount()).as("no reconnect loop on the large frame").isEqualTo(1);
    }
}
