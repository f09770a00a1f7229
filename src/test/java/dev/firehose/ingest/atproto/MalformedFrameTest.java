package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.DagCborWriter;
import dev.firehose.ingest.testsupport.FixtureFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_BODY;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_CAR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_HEADER;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.INVALID_CBOR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.LIMIT_EXCEEDED;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.TOO_DEEP;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.TOO_LARGE;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.UNKNOWN_TYPE;
import static dev.firehose.ingest.testsupport.FrameBuilder.frame;
import static dev.firehose.ingest.testsupport.FrameBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every kind of bad input gives its own Reason (or RecordProblem), and nothing but MalformedFrameException escapes. */
class MalformedFrameTest {

    /** Longer than any real field name, so it sorts last in canonical order. */
    private static final String LAST_KEY = "zzzzzzzzzzzz";

    private final FrameDecoder decoder = new FrameDecoder();
    private final FixtureFrame postFrame = FirehoseFixtures.byName("relay-testing-post_lifecycle#2");
    private final FixtureFrame likeFrame = FirehoseFixtures.byName("relay-testing-post_lifecycle#0");
    private final long postSeq = postFrame.body().get("seq").longValue();

    // ---- framing and CBOR ----

    @Test
    void truncatedFrames() {
        byte[] f = postFrame.bytes();
        for (int cut : new int[] {1, 5, f.length / 2, f.length - 1}) {
            assertReason(Arrays.copyOf(f, cut), INVALID_CBOR);
        }
        assertReason(DagCborWriter.encode(postFrame.header()), BAD_BODY); // header only
        assertReason(new byte[0], INVALID_CBOR);
        assertReason(null, INVALID_CBOR);
    }

    @Test
    void garbage() {
        assertReason(new byte[] {(byte) 0xff, 0}, INVALID_CBOR);
        // header {"a": indefinite bytes with an int chunk}
        assertReason(new byte[] {(byte) 0xa1, 0x61, 0x61, 0x5f, 0x01, (byte) 0xff}, INVALID_CBOR);
        assertReason(new byte[] {(byte) 0xa1, 0x61}, INVALID_CBOR);
        // ASCII that happens to be one CBOR text string ('n' = text of 14 bytes): well-formed, but no header map
        assertReason("not cbor at all".getBytes(StandardCharsets.US_ASCII), BAD_HEADER);
        assertReason(new byte[] {(byte) 0x1c}, INVALID_CBOR);
    }

    @Test
    void bytesAfterTheBody() {
        assertReason(TestFrames.concat(likeFrame.bytes(), new byte[] {0}), INVALID_CBOR);
    }

    @Test
    void indefiniteLengthBody() {
        byte[] body = DagCborWriter.encode(likeFrame.body());
        body[0] = (byte) 0xbf; // indefinite map head; same entries, then a break
        assertReason(TestFrames.concat(DagCborWriter.encode(likeFrame.header()), body, new byte[] {(byte) 0xff}), INVALID_CBOR);
    }

    @Test
    void invalidUtf8InStrings() {
        ObjectNode body = likeFrame.body().deepCopy();
        body.put("repo", "did:plc:XXXX");
        byte[] f = frame(likeFrame.header(), body);
        assertReason(TestFrames.patch(f, "XXXX", new byte[] {'a', (byte) 0xc3, 0x28, 'b'}), INVALID_CBOR);

        byte[] typo = frame(JSON.createObjectNode().put("op", 1).put("t", "#commiX"), likeFrame.body());
        assertReason(TestFrames.patch(typo, "#commiX", new byte[] {'#', 'c', 'o', 'm', 'm', (byte) 0xe9, 'x'}), INVALID_CBOR);
    }

    @Test
    void tooDeep() throws Exception {
        ObjectNode body = JSON.createObjectNode().put("did", TestFrames.REPO).put("seq", 77).put("time", TestFrames.TIME);
        byte[] head = DagCborWriter.encode(header("#identity"));
        // body map (depth 1) + 127 nested arrays = depth 128: fine
        assertThat(decoder.decode(TestFrames.concat(head, withField(body, LAST_KEY, TestFrames.nestedArrays(127)))).seq())
                .isEqualTo(77);
        // ... 128 nested arrays = depth 129: too deep, and the seq read before is reported
        MalformedFrameException e = assertReason(TestFrames.concat(head, withField(body, LAST_KEY, TestFrames.nestedArrays(128))), TOO_DEEP);
        assertThat(e.seq()).isEqualTo(77);
    }

    @Test
    void tooLarge() {
        FrameDecoder small = new FrameDecoder(new DecodeLimits(100, 128, 10, 1000, 10));
        assertThatThrownBy(() -> small.decode(postFrame.bytes()))
                .isInstanceOfSatisfying(MalformedFrameException.class, e -> {
                    assertThat(e.reason()).isEqualTo(TOO_LARGE);
                    assertThat(e.seq()).isEqualTo(-1);
                });
    }

    @Test
    void otherLimits() {
        ArrayNode ops = JSON.createArrayNode();
        for (int i = 0; i < 11; i++) {
            ops.addObject().put("action", "delete").put("path", "app.bsky.feed.like/" + i).putNull("cid");
        }
        byte[] manyOps = frame(header("#commit"), TestFrames.commitBody(5, ops, TestFrames.car(List.of())));
        FrameDecoder limited = new FrameDecoder(new DecodeLimits(1 << 20, 128, 2, 1 << 20, 10));
        assertThatThrownBy(() -> limited.decode(manyOps))
                .isInstanceOfSatisfying(MalformedFrameException.class, e -> assertThat(e.reason()).isEqualTo(LIMIT_EXCEEDED));
        // the real post frame's CAR has more than 2 blocks
        assertThatThrownBy(() -> limited.decode(postFrame.bytes()))
                .isInstanceOfSatisfying(MalformedFrameException.class, e -> {
                    assertThat(e.reason()).isEqualTo(LIMIT_EXCEEDED);
                    assertThat(e.seq()).isEqualTo(postSeq);
                });
    }

    // ---- header ----

    @Test
    void badHeaders() {
        assertReason(frame(JSON.createObjectNode().put("op", 7).put("t", "#commit"), postFrame.body()), BAD_HEADER);
        assertReason(frame(JSON.createObjectNode().put("op", 0).put("t", "#commit"), postFrame.body()), BAD_HEADER);
        assertReason(frame(JSON.createObjectNode().put("op", "1").put("t", "#commit"), postFrame.body()), BAD_HEADER);
        assertReason(frame(JSON.createObjectNode().put("t", "#commit"), postFrame.body()), BAD_HEADER);
        assertReason(frame(JSON.createObjectNode().put("op", 1), postFrame.body()), BAD_HEADER);
        assertReason(frame(JSON.createObjectNode().put("op", 1).put("t", 3), postFrame.body()), BAD_HEADER);
        assertReason(frame(JSON.createArrayNode().add(1), postFrame.body()), BAD_HEADER);
    }

    @Test
    void unknownTypes() {
        assertReason(frame(header("#bogus"), postFrame.body()), UNKNOWN_TYPE);
        assertReason(frame(header("#handle"), postFrame.body()), UNKNOWN_TYPE); // deprecated types are unknown too
        assertReason(frame(header("commit"), postFrame.body()), UNKNOWN_TYPE);
    }

    // ---- body ----

    @Test
    void bodyNotAMap() {
        assertReason(frame(postFrame.header(), JSON.createArrayNode()), BAD_BODY);
        assertReason(frame(postFrame.header(), JSON.getNodeFactory().textNode("x")), BAD_BODY);
    }

    @Test
    void missingOrWrongTypedCommitFields() {
        ObjectNode noSeq = postFrame.body().deepCopy();
        noSeq.remove("seq");
        assertThat(assertReason(frame(postFrame.header(), noSeq), BAD_BODY).seq()).isEqualTo(-1);

        for (String field : List.of("repo", "ops", "blocks", "time")) {
            ObjectNode missing = postFrame.body().deepCopy();
            missing.remove(field);
            assertThat(assertReason(frame(postFrame.header(), missing), BAD_BODY).seq()).as(field).isEqualTo(postSeq);
        }
        assertBodyField("seq", JSON.getNodeFactory().textNode("1"));
        assertBodyField("seq", JSON.getNodeFactory().numberNode(-3));
        assertBodyField("repo", JSON.getNodeFactory().numberNode(1));
        assertBodyField("time", JSON.getNodeFactory().nullNode());
        assertBodyField("ops", JSON.createObjectNode());
        assertBodyField("blocks", JSON.getNodeFactory().textNode("car"));
        assertBodyField("blocks", JSON.createObjectNode().put("$link", "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a"));
    }

    @Test
    void aRepoThatIsNotADidFailsTheFrameWithItsSeq() {
        // the repo goes into the post URI, the NATS message id header: CR/LF or non-ASCII there would break it
        for (String repo : List.of("did:plc:abc\r\nX-Evil: 1", "did:plc:abçd", "did:PLC:abc", "did:plc:", "did:plc:abc:",
                "did:plc:abc%", "not-a-did", "", "did:plc:" + "a".repeat(2041))) {
            for (FixtureFrame fixture : List.of(postFrame, likeFrame)) {
                ObjectNode body = ((ObjectNode) fixture.body().deepCopy()).put("repo", repo);
                MalformedFrameException e = assertReason(frame(fixture.header(), body), BAD_BODY);
                assertThat(e.seq()).as(repo).isEqualTo(fixture.body().get("seq").longValue());
                assertThat(e.getMessage()).doesNotContain("\r", "\n").hasSizeLessThan(200);
            }
        }
        // the longest DID is fine
        ObjectNode body = ((ObjectNode) likeFrame.body().deepCopy()).put("repo", "did:plc:" + "a".repeat(2040));
        assertThat(decodes(frame(likeFrame.header(), body)).repo()).hasSize(2048);
    }

    @Test
    void aCommitTimeOverItsCapFailsTheFrame() {
        ObjectNode body = ((ObjectNode) postFrame.body().deepCopy()).put("time", "2025-04-16T21:30:38.972Z" + "0".repeat(41));
        assertThat(assertReason(frame(postFrame.header(), body), BAD_BODY).seq()).isEqualTo(postSeq);
        body.put("time", "2025-04-16T21:30:38.972Z" + "0".repeat(40)); // 64 bytes
        assertThat(decodes(frame(postFrame.header(), body)).posts()).hasSize(1);
    }

    @Test
    void malformedOps() {
        ObjectNode op = (ObjectNode) postFrame.body().get("ops").get(0);
        assertOp(op.deepCopy().put("cid", "bafy"));
        assertOp(op.deepCopy().put("action", 1));
        assertOp(op.deepCopy().put("path", true));
        assertOp((ObjectNode) op.deepCopy().without("path"));
        assertOp((ObjectNode) op.deepCopy().without("action"));
        assertOp(op.deepCopy().putNull("cid")); // a post create without a record CID
        ObjectNode body = postFrame.body().deepCopy();
        body.putArray("ops").add(3);
        assertReason(frame(postFrame.header(), body), BAD_BODY);
    }

    @Test
    void missingFieldsOfOtherTypes() {
        assertReason(frame(header("#identity"), JSON.createObjectNode().put("seq", 1).put("time", TestFrames.TIME)), BAD_BODY);
        assertReason(frame(header("#account"), JSON.createObjectNode().put("did", "d").put("time", TestFrames.TIME)), BAD_BODY);
        assertReason(frame(header("#sync"), JSON.createObjectNode().put("did", "d").put("seq", 1)), BAD_BODY);
        assertReason(frame(header("#info"), JSON.createObjectNode().put("message", "m")), BAD_BODY);
        assertReason(frame(JSON.createObjectNode().put("op", -1), JSON.createObjectNode().put("message", "m")), BAD_BODY);
        assertReason(frame(JSON.createObjectNode().put("op", -1), JSON.createObjectNode().put("error", 5)), BAD_BODY);
    }

    // ---- CAR and records ----

    @Test
    void carGarbageFailsAPostFrameButNotALikeFrame() throws Exception {
        byte[] garbage = "this is not a CAR file".getBytes(StandardCharsets.US_ASCII);
        ObjectNode post = postFrame.body().deepCopy();
        post.putObject("blocks").put("$bytes", Base64.getEncoder().encodeToString(garbage));
        assertThat(assertReason(frame(postFrame.header(), post), BAD_CAR).seq()).isEqualTo(postSeq);

        // fast path: a like never looks at its blocks
        ObjectNode like = likeFrame.body().deepCopy();
        like.putObject("blocks").put("$bytes", Base64.getEncoder().encodeToString(garbage));
        assertThat(decoder.decode(frame(likeFrame.header(), like)).posts()).isEmpty();
    }

    @Test
    void tamperedRecordBlockIsACidMismatch() throws Exception {
        byte[] car = postFrame.car();
        // flip one byte inside the record's "createdAt" key: still DAG-CBOR, different hash
        byte[] tampered = TestFrames.patch(car, "createdAt", "createdAu".getBytes(StandardCharsets.US_ASCII));
        ObjectNode body = postFrame.body().deepCopy();
        body.putObject("blocks").put("$bytes", Base64.getEncoder().encodeToString(tampered));

        FirehoseEvent event = decoder.decode(frame(postFrame.header(), body));
        assertThat(event.posts()).isEmpty();
        assertThat(event.recordProblems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(RecordProblem.Reason.CID_MISMATCH);
            assertThat(p.path()).isEqualTo(postFrame.body().get("ops").get(0).get("path").textValue());
            assertThat(p.cid()).isEqualTo(postFrame.body().get("ops").get(0).get("cid").get("$link").textValue());
        });
    }

    @Test
    void missingBlockIsReportedAndOtherPostsStillComeOut() throws Exception {
        byte[] good = DagCborWriter.encode(TestFrames.postRecord("still here"));
        byte[] absent = DagCborWriter.encode(TestFrames.postRecord("not in the CAR"));
        ObjectNode body = TestFrames.commitBody(9, List.of("app.bsky.feed.post/3aaa", "app.bsky.feed.post/3bbb"), List.of(good, absent));
        body.putObject("blocks").put("$bytes", Base64.getEncoder().encodeToString(TestFrames.car(List.of(good))));

        FirehoseEvent event = decoder.decode(frame(header("#commit"), body));
        assertThat(event.posts()).extracting(Post::text).containsExactly("still here");
        assertThat(event.recordProblems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(RecordProblem.Reason.BLOCK_MISSING);
            assertThat(p.path()).isEqualTo("app.bsky.feed.post/3bbb");
            assertThat(p.cid()).isEqualTo(Cid.sha256Of(absent).toString());
        });
    }

    @Test
    void recordsThatAreNotStrictDagCbor() throws Exception {
        ObjectNode deep = TestFrames.postRecord("deep");
        byte[] deepRecord = withField(deep, LAST_KEY, TestFrames.nestedArrays(128)); // 1 + 128 levels
        byte[] badUtf8 = TestFrames.patch(DagCborWriter.encode(TestFrames.postRecord("XX")), "XX", new byte[] {(byte) 0xc3, 0x28});
        byte[] undefined = TestFrames.patch(DagCborWriter.encode(TestFrames.postRecord("x").putNull(LAST_KEY)),
                LAST_KEY, LAST_KEY.getBytes(StandardCharsets.US_ASCII));
        undefined[undefined.length - 1] = (byte) 0xf7; // the null at the end becomes undefined

        for (byte[] record : List.of(deepRecord, badUtf8, undefined)) {
            ObjectNode body = TestFrames.commitBody(3, List.of("app.bsky.feed.post/3ccc"), List.of(record));
            FirehoseEvent event = decoder.decode(frame(header("#commit"), body));
            assertThat(event.posts()).isEmpty();
            assertThat(event.recordProblems()).singleElement()
                    .satisfies(p -> assertThat(p.reason()).isEqualTo(RecordProblem.Reason.INVALID_DAG_CBOR));
        }
    }

    @Test
    void recordsThatAreNotPosts() throws Exception {
        ObjectNode like = JSON.createObjectNode().put("$type", "app.bsky.feed.like").put("createdAt", TestFrames.TIME);
        ObjectNode noText = TestFrames.postRecord("x");
        noText.remove("text");
        ObjectNode numberText = TestFrames.postRecord("x").put("text", 5);
        for (ObjectNode record : List.of(like, noText, numberText)) {
            ObjectNode body = TestFrames.commitBody(3, List.of("app.bsky.feed.post/3ddd"), List.of(DagCborWriter.encode(record)));
            FirehoseEvent event = decoder.decode(frame(header("#commit"), body));
            assertThat(event.posts()).isEmpty();
            assertThat(event.recordProblems()).singleElement()
                    .satisfies(p -> assertThat(p.reason()).isEqualTo(RecordProblem.Reason.INVALID_RECORD));
        }
        // an invalid record key
        ObjectNode body = TestFrames.commitBody(3, List.of("app.bsky.feed.post/bad key"),
                List.of(DagCborWriter.encode(TestFrames.postRecord("x"))));
        assertThat(decoder.decode(frame(header("#commit"), body)).recordProblems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo(RecordProblem.Reason.INVALID_RECORD));
        // one that would forge a log line, and a long one: named by an escaped excerpt
        ObjectNode forged = TestFrames.commitBody(3, List.of("app.bsky.feed.post/3k\r\nWARN forged", "app.bsky.feed.post/"
                + "k".repeat(100_000)), List.of(DagCborWriter.encode(TestFrames.postRecord("x")),
                DagCborWriter.encode(TestFrames.postRecord("y"))));
        assertThat(decoder.decode(frame(header("#commit"), forged)).recordProblems()).extracting(RecordProblem::path)
                .containsExactly("app.bsky.feed.post/\"3k\\u000d\\u000aWARN forged\"",
                        "app.bsky.feed.post/\"" + "k".repeat(64) + "\"... (100000 chars)");
    }

    // ---- helpers ----

    private MalformedFrameException assertReason(byte[] frame, MalformedFrameException.Reason reason) {
        try {
            FirehoseEvent event = decoder.decode(frame);
            throw new AssertionError("expected " + reason + " but decoded " + event);
        } catch (MalformedFrameException e) {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            return e;
        }
    }

    private FirehoseEvent decodes(byte[] frame) {
        try {
            return decoder.decode(frame);
        } catch (MalformedFrameException e) {
            throw new AssertionError(e);
        }
    }

    private void assertBodyField(String field, com.fasterxml.jackson.databind.JsonNode value) {
        ObjectNode body = postFrame.body().deepCopy();
        body.set(field, value);
        assertReason(frame(postFrame.header(), body), BAD_BODY);
    }

    private void assertOp(ObjectNode op) {
        ObjectNode body = postFrame.body().deepCopy();
        body.putArray("ops").add(op);
        assertReason(frame(postFrame.header(), body), BAD_BODY);
    }

    /** The map encoded canonically plus one extra last field (key sorting after the others) with raw CBOR value. */
    private static byte[] withField(ObjectNode map, String key, byte[] rawValue) {
        ObjectNode copy = map.deepCopy().putNull(key);
        byte[] encoded = DagCborWriter.encode(copy);
        // the extra key sorts last and its null (0xf6) is the final byte: swap it for the raw value
        assertThat(encoded[encoded.length - 1]).isEqualTo((byte) 0xf6);
        return TestFrames.concat(Arrays.copyOf(encoded, encoded.length - 1), rawValue);
    }
}
