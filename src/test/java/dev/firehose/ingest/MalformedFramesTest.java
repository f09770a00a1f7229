package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.atproto.MalformedFrameException;
import dev.firehose.ingest.atproto.RecordProblem;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.AtJson;
import dev.firehose.ingest.testsupport.CarBlock;
import dev.firehose.ingest.testsupport.CarWriter;
import dev.firehose.ingest.testsupport.Cids;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.DagCborWriter;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameBuilder;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.RelayFrame;
import dev.firehose.ingest.testsupport.RepoRecords;
import io.nats.client.Message;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;

import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_BODY;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_CAR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_HEADER;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.INVALID_CBOR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.TOO_DEEP;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.TOO_LARGE;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.UNKNOWN_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay with bad frames of every kind between good ones, all carrying post creates that must not come out.
 * The good frames' posts land exactly; each bad frame is counted under its reason; a bad frame never holds the
 * cursor; and the frame-level malformed ones (not the frames with a bad record) arrive raw on the dead-letter
 * subject with their reason and seq.
 */
class MalformedFramesTest extends ServiceEndToEndSupport {

    private static final String DLQ = "e2e.deadletters";
    private static final int MAX_FRAME_BYTES = 256 * 1024;
    private static final int GOOD_BETWEEN = 100;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TIME = "2025-04-16T21:31:33.046Z";

    /** A frame-level bad frame: what the decoder must say about it, and the seq it can know (-1: none). */
    private record DeadLetter(byte[] frame, MalformedFrameException.Reason reason, long seq) {
    }

    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<RecordProblem.Reason, Integer> badRecords = new EnumMap<>(RecordProblem.Reason.class);
    private RepoRecords records;
    private Subscription deadLetterSubscription;
    private int rkeys;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        deadLetterSubscription = client.subscribe(DLQ);
        client.flush(Duration.ofSeconds(5));
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("firehose.max-frame-bytes", Integer.toString(MAX_FRAME_BYTES));
        p.setProperty("nats.dlq-subject", DLQ);
        return p;
    }

    @Override
    protected Corpus buildCorpus() {
        records = RepoRecords.load();
        List<RelayFrame> frames = new ArrayList<>();
        List<ExpectedPost> posts = new ArrayList<>();
        long[] next = {FIRST_SEQ};
        List<java.util.function.LongFunction<byte[]>> bad = badFrames(posts);
        for (int i = 0; i < bad.size(); i++) {
            Corpus good = FrameCorpus.synthetic(GOOD_BETWEEN, next[0], 100 + i);
            frames.addAll(good.frames());
            posts.addAll(good.posts());
            long seq = good.lastSeq() + 1;
            frames.add(new RelayFrame(seq, bad.get(i).apply(seq)));
            next[0] = seq + 1;
        }
        Corpus tail = FrameCorpus.synthetic(GOOD_BETWEEN, next[0], 99);
        frames.addAll(tail.frames());
        posts.addAll(tail.posts());
        for (RelayFrame frame : frames) {
            if (frame.bytes().length > MAX_FRAME_BYTES) {
                assertThat(deadLetters).anyMatch(d -> d.frame() == frame.bytes() && d.reason() == TOO_LARGE);
            }
        }
        return new Corpus(frames, posts, tail.lastSeq());
    }

    /** Each bad frame, given its seq; frame-level ones are registered as expected dead letters when built. */
    private List<java.util.function.LongFunction<byte[]>> badFrames(List<ExpectedPost> posts) {
        List<java.util.function.LongFunction<byte[]>> bad = new ArrayList<>();
        // 1. a post commit cut short, inside its CAR (seq already read)
        bad.add(seq -> {
            byte[] whole = postFrame(seq);
            return dead(Arrays.copyOf(whole, whole.length * 3 / 5), INVALID_CBOR, seq);
        });
        // 2. garbage bytes (a break code where the header should start)
        bad.add(seq -> {
            byte[] garbage = new byte[300];
            new Random(seq).nextBytes(garbage);
            garbage[0] = (byte) 0xff;
            return dead(garbage, INVALID_CBOR, -1);
        });
        // 3. op 7 with a valid post body: never a post
        bad.add(seq -> dead(FrameBuilder.frame(NODES.objectNode().put("op", 7).put("t", "#commit"), postBody(seq)),
                BAD_HEADER, -1));
        // 4. a message type the codec does not know (a deprecated one) with a post body
        bad.add(seq -> dead(FrameBuilder.frame(FrameBuilder.header("#tombstone"), postBody(seq)), UNKNOWN_TYPE, -1));
        // 5. required field missing: a post commit without repo (found missing at the end: seq known)
        bad.add(seq -> {
            ObjectNode body = postBody(seq);
            body.remove("repo");
            return dead(commitFrame(body), BAD_BODY, seq);
        });
        // 6. wrong type: seq as a string (ops come first in canonical order, so no seq is known)
        bad.add(seq -> dead(commitFrame(postBody(seq).put("seq", Long.toString(seq))), BAD_BODY, -1));
        // 7. wrong type: time as an integer (after seq)
        bad.add(seq -> dead(commitFrame(postBody(seq).put("time", 1_700_000_000)), BAD_BODY, seq));
        // 8. a post create whose blocks are not a CAR
        bad.add(seq -> {
            byte[] notACar = new byte[64];
            new Random(seq).nextBytes(notACar);
            notACar[0] = (byte) 0x7f; // varint header length far beyond the bytes
            ObjectNode body = postBody(seq);
            body.set("blocks", NODES.binaryNode(notACar));
            return dead(commitFrame(body), BAD_CAR, seq);
        });
        // 9. invalid UTF-8 in repo, a string the decoder reads (after seq)
        bad.add(seq -> {
            ObjectNode body = postBody(seq);
            body.put("repo", "did:plc:ZQZQmalformedutf8000000");
            return dead(replaceMarker(commitFrame(body)), INVALID_CBOR, seq);
        });
        // 10. nesting deeper than 128 in the body ("a" sorts before ops and seq)
        bad.add(seq -> {
            ObjectNode body = postBody(seq);
            ArrayNode deep = body.putArray("a");
            for (int d = 0; d < 200; d++) {
                deep = deep.addArray();
            }
            return dead(commitFrame(body), TOO_DEEP, -1);
        });
        // 11. over FIREHOSE_MAX_FRAME_BYTES (not parsed at all)
        bad.add(seq -> {
            byte[] padding = new byte[MAX_FRAME_BYTES + 1024];
            new Random(seq).nextBytes(padding);
            return dead(commitFrame(postBody(seq, List.of(new CarBlock(Cids.cidV1(Cids.CODEC_RAW, padding), padding)))),
                    TOO_LARGE, -1);
        });
        // Record-level problems: the frame is fine, the bad post is skipped, its good neighbour lands.
        // 12. the post's block is missing from the CAR, next to a good post in the same commit
        bad.add(seq -> {
            RepoRecords.RecordBlock good = records.posts().get(1);
            RepoRecords.RecordBlock missing = records.posts().get(2);
            String goodRkey = rkey();
            ObjectNode body = commitBody(seq, List.of(create(goodRkey, good.block().cid()),
                    create(rkey(), missing.block().cid())), List.of(good.block()));
            posts.add(ExpectedPosts.of(repo(), goodRkey, good.block(), seq));
            badRecords.merge(RecordProblem.Reason.BLOCK_MISSING, 1, Integer::sum);
            return commitFrame(body);
        });
        // 13. block bytes that do not hash to the op's CID
        bad.add(seq -> {
            CarBlock real = records.posts().get(3).block();
            CarBlock forged = new CarBlock(real.cid(), records.posts().get(4).block().data());
            badRecords.merge(RecordProblem.Reason.CID_MISMATCH, 1, Integer::sum);
            return commitFrame(commitBody(seq, List.of(create(rkey(), real.cid())), List.of(forged)));
        });
        // 14. invalid UTF-8 in the post's text (the CID is right for the bad bytes)
        bad.add(seq -> {
            ObjectNode record = NODES.objectNode().put("$type", RepoRecords.POST)
                    .put("text", "a post with ZQZQ bad bytes in it").put("createdAt", TIME);
            CarBlock block = CarBlock.ofDagCbor(replaceMarker(DagCborWriter.encode(record)));
            badRecords.merge(RecordProblem.Reason.INVALID_DAG_CBOR, 1, Integer::sum);
            return commitFrame(commitBody(seq, List.of(create(rkey(), block.cid())), List.of(block)));
        });
        // 15. a valid block that is not a post (no text)
        bad.add(seq -> {
            ObjectNode record = NODES.objectNode().put("$type", RepoRecords.POST).put("createdAt", TIME);
            CarBlock block = CarBlock.ofDagCbor(DagCborWriter.encode(record));
            badRecords.merge(RecordProblem.Reason.INVALID_RECORD, 1, Integer::sum);
            return commitFrame(commitBody(seq, List.of(create(rkey(), block.cid())), List.of(block)));
        });
        // 16. a text over the codec's 64 KiB cap: the record is skipped, not published and not truncated
        bad.add(seq -> {
            ObjectNode record = NODES.objectNode().put("$type", RepoRecords.POST)
                    .put("text", "x".repeat(70 * 1024)).put("createdAt", TIME);
            CarBlock block = CarBlock.ofDagCbor(DagCborWriter.encode(record));
            badRecords.merge(RecordProblem.Reason.TEXT_TOO_LONG, 1, Integer::sum);
            return commitFrame(commitBody(seq, List.of(create(rkey(), block.cid())), List.of(block)));
        });
        // 17. twenty creates of one 60 KiB-text block: past the frame's 1 MiB of decoded text, the rest is skipped
        bad.add(seq -> {
            ObjectNode record = NODES.objectNode().put("$type", RepoRecords.POST)
                    .put("text", "y".repeat(60 * 1024)).put("createdAt", TIME);
            CarBlock block = CarBlock.ofDagCbor(DagCborWriter.encode(record));
            List<ObjectNode> creates = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                creates.add(create(rkey(), block.cid()));
            }
            // 17 fit in the budget (and the length rule drops them); 3 are skipped as bad records
            badRecords.merge(RecordProblem.Reason.TEXT_BUDGET_EXCEEDED, 3, Integer::sum);
            return commitFrame(commitBody(seq, creates, List.of(block)));
        });
        return bad;
    }

    private byte[] dead(byte[] frame, MalformedFrameException.Reason reason, long seq) {
        deadLetters.add(new DeadLetter(frame, reason, seq));
        return frame;
    }

    private String rkey() {
        return String.format("3lmalformed%03d", rkeys++);
    }

    private static String repo() {
        return "did:plc:malformedframes0000000000";
    }

    /** A good post commit frame (the base most bad frames are made from). */
    private byte[] postFrame(long seq) {
        return commitFrame(postBody(seq));
    }

    private ObjectNode postBody(long seq) {
        return postBody(seq, List.of());
    }

    /** A commit creating one real post (records.posts()[0]) under a fresh rkey, plus {@code extra} CAR blocks. */
    private ObjectNode postBody(long seq, List<CarBlock> extra) {
        CarBlock post = records.posts().get(0).block();
        List<CarBlock> blocks = new ArrayList<>(List.of(post));
        blocks.addAll(extra);
        return commitBody(seq, List.of(create(rkey(), post.cid())), blocks);
    }

    private static ObjectNode create(String rkey, byte[] cid) {
        ObjectNode op = NODES.objectNode().put("action", "create").put("path", RepoRecords.POST + "/" + rkey);
        op.set("cid", AtJson.link(cid));
        return op;
    }

    private static ObjectNode commitBody(long seq, List<ObjectNode> ops, List<CarBlock> blocks) {
        CarBlock commit = CarBlock.ofDagCbor(DagCborWriter.encode(NODES.objectNode()
                .put("did", repo()).put("version", 3).put("rev", "3lmalformed222")));
        List<CarBlock> all = new ArrayList<>(List.of(commit));
        all.addAll(blocks);
        ObjectNode body = NODES.objectNode();
        body.putArray("ops").addAll(ops);
        body.put("seq", seq).put("repo", repo()).put("rev", "3lmalformed222").putNull("since").put("time", TIME);
        body.set("commit", AtJson.link(commit.cid()));
        body.set("blocks", NODES.binaryNode(CarWriter.write(List.of(commit.cid()), all)));
        body.putArray("blobs");
        body.put("rebase", false).put("tooBig", false);
        return body;
    }

    private static byte[] commitFrame(JsonNode body) {
        return FrameBuilder.frame(FrameBuilder.header("#commit"), body);
    }

    /** Replaces the one ASCII marker {@code ZQZQ} by invalid UTF-8 (a lone continuation byte, a bad lead byte). */
    private static byte[] replaceMarker(byte[] cbor) {
        byte[] marker = "ZQZQ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + marker.length <= cbor.length; i++) {
            if (Arrays.equals(cbor, i, i + marker.length, marker, 0, marker.length)) {
                byte[] out = cbor.clone();
                out[i] = (byte) 0x80;
                out[i + 1] = (byte) 0xc3;
                out[i + 2] = (byte) 0x28;
                out[i + 3] = (byte) 0xff;
                return out;
            }
        }
        throw new IllegalArgumentException("no marker");
    }

    @Test
    void goodFramesLandExactlyAndEachBadKindIsCountedAndDeadLettered() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());

        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        Map<MalformedFrameException.Reason, Integer> malformed = new EnumMap<>(MalformedFrameException.Reason.class);
        deadLetters.forEach(d -> malformed.merge(d.reason(), 1, Integer::sum));
        for (MalformedFrameException.Reason reason : MalformedFrameException.Reason.values()) {
            assertThat(metrics.count(IngestMetrics.MALFORMED_FRAMES, reason.name()))
                    .as("malformed_frames|%s", reason).isEqualTo(malformed.getOrDefault(reason, 0).longValue());
        }
        for (RecordProblem.Reason reason : RecordProblem.Reason.values()) {
            assertThat(metrics.count(IngestMetrics.RECORD_PROBLEMS, reason.name()))
                    .as("bad_records|%s", reason).isEqualTo(badRecords.getOrDefault(reason, 0).longValue());
        }
        assertThat(malformed.keySet()).containsExactlyInAnyOrder(INVALID_CBOR, BAD_HEADER, UNKNOWN_TYPE, BAD_BODY,
                BAD_CAR, TOO_DEEP, TOO_LARGE);
        assertThat(badRecords).hasSize(RecordProblem.Reason.values().length);
        assertThat(metrics.count(IngestMetrics.FRAMES_REPLAYED)).isZero();
        assertThat(relay.connectionCount()).as("bad frames do not cost a reconnect").isEqualTo(1);

        // Dead letters: exactly the frame-level malformed frames, raw, in relay order, with reason and seq.
        List<Message> received = new ArrayList<>();
        for (Message m = deadLetterSubscription.nextMessage(Duration.ofSeconds(5)); m != null;
             m = deadLetterSubscription.nextMessage(Duration.ofMillis(received.size() + 1 < deadLetters.size()
                     ? 5_000 : 500))) {
            received.add(m);
        }
        assertThat(received).hasSize(deadLetters.size());
        for (int i = 0; i < deadLetters.size(); i++) {
            DeadLetter want = deadLetters.get(i);
            Message got = received.get(i);
            assertThat(got.getHeaders().getFirst("Firehose-Error-Reason")).as("dead letter %d", i)
                    .isEqualTo(want.reason().name());
            assertThat(got.getHeaders().getFirst("Firehose-Seq")).as("dead letter %d (%s)", i, want.reason())
                    .isEqualTo(Long.toString(want.seq()));
            assertThat(HexFormat.of().formatHex(got.getData())).as("dead letter %d is the raw frame", i)
                    .isEqualTo(HexFormat.of().formatHex(want.frame()));
        }
    }
}
