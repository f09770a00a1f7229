package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.AtJson;
import dev.firehose.ingest.testsupport.CarBlock;
import dev.firehose.ingest.testsupport.CarWriter;
import dev.firehose.ingest.testsupport.Cids;
import dev.firehose.ingest.testsupport.FixtureFrame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;

/**
 * Builders for synthetic commit bodies, CARs and records (for the cases real fixtures do not cover). Frames are
 * encoded with the test kit's {@link dev.firehose.ingest.testsupport.FrameBuilder}, independent of the codec.
 */
final class TestFrames {

    static final String REPO = "did:plc:testtesttesttesttesttest";
    static final String TIME = "2025-04-16T21:30:38.972Z";

    private TestFrames() {
    }

    static ObjectNode postRecord(String text) {
        ObjectNode record = JSON.createObjectNode();
        record.put("$type", "app.bsky.feed.post").put("text", text).put("createdAt", "2025-04-16T21:30:38.000Z");
        record.putArray("langs").add("en");
        return record;
    }

    /** The AT-JSON record of the first post created in a real fixture frame, e.g. relay-testing-post_lifecycle#5. */
    static ObjectNode fixturePostRecord(String frameName) {
        FixtureFrame frame = FirehoseFixtures.byName(frameName);
        for (JsonNode op : frame.body().get("ops")) {
            if (op.get("action").textValue().equals("create") && op.get("path").textValue().startsWith("app.bsky.feed.post/")) {
                byte[] block = dev.firehose.ingest.testsupport.CarFile.parse(frame.car())
                        .block(Cids.fromText(op.get("cid").get("$link").textValue())).data();
                return (ObjectNode) AtJson.decode(block);
            }
        }
        throw new IllegalArgumentException(frameName + " creates no post");
    }

    /** A #commit body creating one record at each path, each op pointing at the same one-block CAR's block. */
    static ObjectNode commitBodyOneBlock(long seq, List<String> paths, byte[] block) {
        ArrayNode ops = JSON.createArrayNode();
        for (String path : paths) {
            ObjectNode op = ops.addObject().put("action", "create").put("path", path);
            op.putObject("cid").put("$link", Cids.textOfDagCbor(block));
        }
        return commitBody(seq, ops, car(List.of(block)));
    }

    /** A #commit body creating one record per (path, block) pair, all blocks in one CAR. */
    static ObjectNode commitBody(long seq, List<String> paths, List<byte[]> blocks) {
        ArrayNode ops = JSON.createArrayNode();
        for (int i = 0; i < paths.size(); i++) {
            ObjectNode op = ops.addObject().put("action", "create").put("path", paths.get(i));
            op.putObject("cid").put("$link", Cids.textOfDagCbor(blocks.get(i)));
        }
        return commitBody(seq, ops, car(blocks));
    }

    static ObjectNode commitBody(long seq, ArrayNode ops, byte[] car) {
        ObjectNode body = JSON.createObjectNode();
        body.set("ops", ops);
        body.put("rev", "3lmxjzlrcpk24").put("seq", seq).put("repo", REPO).put("time", TIME);
        body.putNull("blobs");
        body.putNull("since");
        body.putObject("blocks").put("$bytes", Base64.getEncoder().encodeToString(car));
        body.putObject("commit").put("$link", Cids.textOfDagCbor(new byte[] {(byte) 0xa0}));
        body.put("rebase", false).put("tooBig", false);
        return body;
    }

    /** A CARv1 holding the blocks (dag-cbor CIDs), rooted at the first (or at an empty map block if none). */
    static byte[] car(List<byte[]> blocks) {
        byte[] root = blocks.isEmpty() ? new byte[] {(byte) 0xa0} : blocks.get(0);
        return CarWriter.write(List.of(Cids.dagCbor(root)), blocks.stream().map(CarBlock::ofDagCbor).toList());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Replaces the (unique) occurrence of an ASCII placeholder with bytes of the same length. */
    static byte[] patch(byte[] frame, String placeholder, byte[] replacement) {
        byte[] needle = placeholder.getBytes(StandardCharsets.UTF_8);
        if (needle.length != replacement.length) {
            throw new IllegalArgumentException("length must not change");
        }
        for (int i = 0; i + needle.length <= frame.length; i++) {
            if (Arrays.equals(frame, i, i + needle.length, needle, 0, needle.length)) {
                byte[] out = frame.clone();
                System.arraycopy(replacement, 0, out, i, replacement.length);
                return out;
            }
        }
        throw new IllegalArgumentException("placeholder not found: " + placeholder);
    }

    static byte[] nestedArrays(int depth) {
        return DagCborStrictnessTest.nestedArrays(depth);
    }
}
