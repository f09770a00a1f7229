package dev.firehose.ingest.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code #commit} frames that each create one crafted post (text, langs, facets as given), for the cases the real
 * records do not have: spam of every kind. Seqs continue from {@code firstSeq}; the expected post of each frame is
 * read back from its record block as for the real corpus ({@link ExpectedPosts#of}).
 */
public final class PostFrames {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TIME = "2025-04-16T21:45:00.000Z";

    private final List<RelayFrame> frames = new ArrayList<>();
    private final List<ExpectedPost> posts = new ArrayList<>();
    private long seq;

    public PostFrames(long firstSeq) {
        this.seq = firstSeq;
    }

    /** An {@code app.bsky.feed.post} record with {@code text} and, when given, {@code langs}. */
    public static ObjectNode record(String text, String... langs) {
        ObjectNode record = NODES.objectNode().put("$type", RepoRecords.POST).put("text", text)
                .put("createdAt", TIME);
        if (langs.length > 0) {
            ArrayNode array = record.putArray("langs");
            for (String lang : langs) {
                array.add(lang);
            }
        }
        return record;
    }

    /** Adds a facet feature (e.g. {@code app.bsky.richtext.facet#link} with {@code uri}) over bytes 0..1. */
    public static ObjectNode withFeature(ObjectNode record, String type, String key, String value) {
        ArrayNode facets = record.has("facets") ? (ArrayNode) record.get("facets") : record.putArray("facets");
        ObjectNode facet = facets.addObject();
        facet.putObject("index").put("byteStart", 0).put("byteEnd", 1);
        facet.putArray("features").addObject().put("$type", type).put(key, value);
        return record;
    }

    /** A frame by {@code did} creating a post with {@code record}; returns its expected post. */
    public ExpectedPost add(String did, ObjectNode record) {
        return add(did, record, UnaryOperator.identity());
    }

    /** As {@link #add(String, ObjectNode)}, with the commit body changed by {@code edit} (e.g. its relay time). */
    public ExpectedPost add(String did, ObjectNode record, UnaryOperator<ObjectNode> edit) {
        return add(did, record, edit, List.of());
    }

    /**
     * As {@link #add(String, ObjectNode)}, in a frame of about {@code bytes} bytes: the CAR also carries raw blocks
     * of 64 KiB (as a large MST diff would), each under the decoder's per-block limit.
     */
    public ExpectedPost addLarge(String did, ObjectNode record, int bytes) {
        List<CarBlock> padding = new ArrayList<>();
        java.util.Random random = new java.util.Random(seq);
        for (int i = 0; i < bytes / (64 * 1024); i++) {
            byte[] data = new byte[64 * 1024];
            random.nextBytes(data);
            padding.add(new CarBlock(Cids.cidV1(Cids.CODEC_RAW, data), data));
        }
        return add(did, record, UnaryOperator.identity(), padding);
    }

    private ExpectedPost add(String did, ObjectNode record, UnaryOperator<ObjectNode> edit, List<CarBlock> extra) {
        long frameSeq = seq++;
        String rkey = rkey(frameSeq);
        CarBlock block = CarBlock.ofDagCbor(DagCborWriter.encode(record));
        frames.add(new RelayFrame(frameSeq, FrameBuilder.frame(FrameBuilder.header("#commit"),
                edit.apply(body(did, rkey, block, frameSeq, extra)))));
        ExpectedPost post = ExpectedPosts.of(did, rkey, block, frameSeq);
        posts.add(post);
        return post;
    }

    /**
     * A frame like {@link #add}'s whose body {@code damage} then breaks (a field removed, a seq rewritten...): its
     * post is not expected anywhere. Returns the frame.
     */
    public RelayFrame addDamaged(String did, ObjectNode record, UnaryOperator<ObjectNode> damage) {
        long frameSeq = seq++;
        String rkey = rkey(frameSeq);
        ObjectNode body = damage.apply(body(did, rkey, CarBlock.ofDagCbor(DagCborWriter.encode(record)), frameSeq,
                List.of()));
        RelayFrame frame = new RelayFrame(frameSeq, FrameBuilder.frame(FrameBuilder.header("#commit"), body));
        frames.add(frame);
        return frame;
    }

    /** Unique across instances too: two sequences of crafted frames never share a post URI. */
    private static String rkey(long frameSeq) {
        return "3lcrafted" + frameSeq;
    }

    private static ObjectNode body(String did, String rkey, CarBlock block, long frameSeq, List<CarBlock> extra) {
        CarBlock commit = CarBlock.ofDagCbor(DagCborWriter.encode(NODES.objectNode()
                .put("did", did).put("version", 3).put("rev", rkey)));
        ObjectNode op = NODES.objectNode().put("action", "create").put("path", RepoRecords.POST + "/" + rkey);
        op.set("cid", AtJson.link(block.cid()));
        ObjectNode body = NODES.objectNode();
        body.putArray("ops").add(op);
        body.put("seq", frameSeq).put("repo", did).put("rev", rkey).putNull("since").put("time", TIME);
        body.set("commit", AtJson.link(commit.cid()));
        List<CarBlock> blocks = new ArrayList<>(List.of(commit, block));
        blocks.addAll(extra);
        body.set("blocks", NODES.binaryNode(CarWriter.write(List.of(commit.cid()), blocks)));
        body.putArray("blobs");
        body.put("rebase", false).put("tooBig", false);
        return body;
    }

    public List<RelayFrame> frames() {
        return List.copyOf(frames);
    }

    public List<ExpectedPost> posts() {
        return List.copyOf(posts);
    }

    /** The seq the next frame would get. */
    public long nextSeq() {
        return seq;
    }
}
