package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic generator of a realistic firehose replay from the real repo records, in the live mix.
 * Every block of 100 frames holds exactly: 50 like creates, 10 reposts, 12 follows, 10 post creates,
 * 8 deletes, 2 multi-op commits (post + like), 3 {@code #identity}, 2 {@code #account}, 3 {@code #sync},
 * shuffled with the seed. So N frames (N a multiple of 100) carry exactly 12 post creates per 100 frames.
 * <p>
 * Commit frames carry a CAR whose root is a commit block built here ({@code version 3}, a fake
 * signature) over a one-node MST holding the ops' keys; the record blocks are the CARs' bytes,
 * verbatim. Not a valid repo proof, but every CID is real sha2-256 of its block.
 */
final class SyntheticFirehose {

    enum Kind { LIKE, REPOST, FOLLOW, POST, DELETE, MULTI, IDENTITY, ACCOUNT, SYNC }

    static final Map<Kind, Integer> PER_HUNDRED = Map.of(
            Kind.LIKE, 50, Kind.REPOST, 10, Kind.FOLLOW, 12, Kind.POST, 10,
            Kind.DELETE, 8, Kind.MULTI, 2, Kind.IDENTITY, 3, Kind.ACCOUNT, 2, Kind.SYNC, 3);

    /** Post creates per 100 frames: the POST frames and the post of each MULTI commit. */
    static final int POSTS_PER_HUNDRED = PER_HUNDRED.get(Kind.POST) + PER_HUNDRED.get(Kind.MULTI);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** 2025-04-16T21:30:00Z: frame times advance ~667 µs a frame (~1,500 frames/s, the live rate). */
    private static final long BASE_MICROS = Instant.parse("2025-04-16T21:30:00Z").toEpochMilli() * 1000;
    private static final long MICROS_PER_FRAME = 667;
    private static final int SYNTHETIC_AUTHORS = 1000;
    private static final int DELETE_CANDIDATES = 10_000;

    private static final byte[] COMMIT_HEADER = DagCborWriter.encode(FrameBuilder.header("#commit"));
    private static final byte[] IDENTITY_HEADER = DagCborWriter.encode(FrameBuilder.header("#identity"));
    private static final byte[] ACCOUNT_HEADER = DagCborWriter.encode(FrameBuilder.header("#account"));
    private static final byte[] SYNC_HEADER = DagCborWriter.encode(FrameBuilder.header("#sync"));

    /** A repo op this generator writes: path, record block (null for a delete), and prev CID. */
    private record Op(String collection, String rkey, RepoRecords.RecordBlock record, byte[] prev) {
        String path() {
            return collection + "/" + rkey;
        }
    }

    /** Per-author repo state, so revs chain through {@code since} and {@code prevData}. */
    private static final class Author {
        final String did;
        /** CIDs of the post records this author created. */
        final java.util.Set<String> posted = new java.util.HashSet<>();
        String rev;
        byte[] data;

        Author(String did) {
            this.did = did;
        }
    }

    private record Created(Author author, String path, byte[] cid) {
    }

    private final RepoRecords records;
    private final Random random;
    private final Tids tids;
    private final List<Author> authors = new ArrayList<>();
    private final List<Created> deletable = new ArrayList<>();

    SyntheticFirehose(RepoRecords records, long seed) {
        this.records = records;
        this.random = new Random(seed);
        this.tids = new Tids(BASE_MICROS, (int) (seed & 0x3FF));
        for (String did : records.dids()) {
            authors.add(new Author(did));
        }
        for (String did : SyntheticDids.plc(seed, SYNTHETIC_AUTHORS)) {
            authors.add(new Author(did));
        }
    }

    Corpus generate(int frameCount, long firstSeq) {
        List<RelayFrame> frames = new ArrayList<>(frameCount);
        List<ExpectedPost> posts = new ArrayList<>(frameCount / 100 * POSTS_PER_HUNDRED + 2);
        List<Kind> schedule = new ArrayList<>(100);
        for (int i = 0; i < frameCount; i++) {
            if (i % 100 == 0) {
                schedule = shuffledHundred();
            }
            long seq = firstSeq + i;
            String time = TIME.format(Instant.ofEpochSecond(0, (BASE_MICROS + i * MICROS_PER_FRAME) * 1000));
            Author author = authors.get(random.nextInt(authors.size()));
            byte[] bytes = switch (schedule.get(i % 100)) {
                case LIKE -> commit(author, seq, time, List.of(create(RepoRecords.LIKE, records.likes())), posts);
                case REPOST -> commit(author, seq, time, List.of(create(RepoRecords.REPOST, records.reposts())), posts);
                case FOLLOW -> commit(author, seq, time, List.of(create(RepoRecords.FOLLOW, records.follows())), posts);
                case POST -> commit(author, seq, time, List.of(newPost(author)), posts);
                case MULTI -> commit(author, seq, time, List.of(
                        newPost(author),
                        create(RepoRecords.LIKE, records.likes())), posts);
                case DELETE -> delete(seq, time, posts);
                case IDENTITY -> FrameBuilder.frame(IDENTITY_HEADER, NODES.objectNode()
                        .put("did", author.did).put("seq", seq).put("time", time)
                        .put("handle", "user" + Math.abs(author.did.hashCode()) + ".bsky.social"));
                case ACCOUNT -> FrameBuilder.frame(ACCOUNT_HEADER, NODES.objectNode()
                        .put("did", author.did).put("seq", seq).put("time", time).put("active", true));
                case SYNC -> sync(author, seq, time);
            };
            frames.add(new RelayFrame(seq, bytes));
        }
        long lastSeq = frameCount == 0 ? firstSeq - 1 : firstSeq + frameCount - 1;
        return new Corpus(List.copyOf(frames), List.copyOf(posts), lastSeq);
    }

    private List<Kind> shuffledHundred() {
        List<Kind> kinds = new ArrayList<>(100);
        for (Kind kind : Kind.values()) {
            kinds.addAll(Collections.nCopies(PER_HUNDRED.get(kind), kind));
        }
        Collections.shuffle(kinds, random);
        return kinds;
    }

    /**
     * A post create whose record this author has not posted before in this corpus: a real person does not post the
     * same text twice, and the duplicate-text rule would (rightly) drop the copy.
     */
    private Op newPost(Author author) {
        List<RepoRecords.RecordBlock> pool = records.posts();
        int start = random.nextInt(pool.size());
        for (int i = 0; i < pool.size(); i++) {
            RepoRecords.RecordBlock record = pool.get((start + i) % pool.size());
            if (author.posted.add(record.block().cidText())) {
                return new Op(RepoRecords.POST, tids.next(), record, null);
            }
        }
        return new Op(RepoRecords.POST, tids.next(), pool.get(start), null); // this author posted them all
    }

    private Op create(String collection, List<RepoRecords.RecordBlock> pool) {
        return new Op(collection, tids.next(), pool.get(random.nextInt(pool.size())), null);
    }

    private byte[] delete(long seq, String time, List<ExpectedPost> posts) {
        if (deletable.isEmpty()) {
            Author author = authors.get(random.nextInt(authors.size()));
            RepoRecords.RecordBlock like = records.likes().get(0);
            return commit(author, seq, time, List.of(new Op(RepoRecords.LIKE, tids.next(), null, like.block().cid())), posts);
        }
        Created target = deletable.remove(random.nextInt(deletable.size()));
        int slash = target.path().indexOf('/');
        Op op = new Op(target.path().substring(0, slash), target.path().substring(slash + 1), null, target.cid());
        return commit(target.author(), seq, time, List.of(op), posts);
    }

    /**
     * {@code #sync}: the author's current commit (a repo state announcement), as a CAR holding that one block. It
     * announces the current rev, so it does not move the author's rev chain.
     */
    private byte[] sync(Author author, long seq, String time) {
        String rev = author.rev != null ? author.rev : tids.next();
        byte[] data = author.data != null ? author.data : Cids.dagCbor(DagCborWriter.encode(mstNode(List.of())));
        byte[] commitBlock = commitBlock(author, rev, data);
        byte[] commitCid = Cids.dagCbor(commitBlock);
        ObjectNode body = NODES.objectNode();
        body.set("blocks", NODES.binaryNode(
                CarWriter.write(List.of(commitCid), List.of(new CarBlock(commitCid, commitBlock)))));
        body.put("did", author.did).put("rev", rev).put("seq", seq).put("time", time);
        return FrameBuilder.frame(SYNC_HEADER, body);
    }

    private static byte[] commitBlock(Author author, String rev, byte[] dataCid) {
        ObjectNode commitNode = NODES.objectNode()
                .put("did", author.did).put("version", 3).put("rev", rev).putNull("prev");
        commitNode.set("data", AtJson.link(dataCid));
        commitNode.set("sig", NODES.binaryNode(fakeSignature(author.did, rev)));
        return DagCborWriter.encode(commitNode);
    }

    private byte[] commit(Author author, long seq, String time, List<Op> ops, List<ExpectedPost> posts) {
        String rev = tids.next();
        byte[] mstNode = DagCborWriter.encode(mstNode(ops));
        byte[] mstCid = Cids.dagCbor(mstNode);
        byte[] commitBlock = commitBlock(author, rev, mstCid);
        byte[] commitCid = Cids.dagCbor(commitBlock);

        List<CarBlock> blocks = new ArrayList<>(2 + ops.size());
        blocks.add(new CarBlock(commitCid, commitBlock));
        blocks.add(new CarBlock(mstCid, mstNode));
        ArrayNode opsNode = NODES.arrayNode();
        for (Op op : ops) {
            ObjectNode opNode = opsNode.addObject().put("path", op.path());
            if (op.record() == null) {
                opNode.put("action", "delete").putNull("cid");
                opNode.set("prev", AtJson.link(op.prev()));
                continue;
            }
            opNode.put("action", "create");
            opNode.set("cid", AtJson.link(op.record().block().cid()));
            blocks.add(op.record().block());
            if (deletable.size() < DELETE_CANDIDATES
                    && (op.collection().equals(RepoRecords.POST) || op.collection().equals(RepoRecords.LIKE))) {
                deletable.add(new Created(author, op.path(), op.record().block().cid()));
            }
            if (op.collection().equals(RepoRecords.POST)) {
                posts.add(expectedPost(author.did, op, seq));
            }
        }

        ObjectNode body = NODES.objectNode();
        body.putArray("blobs");
        body.set("blocks", NODES.binaryNode(CarWriter.write(List.of(commitCid), blocks)));
        body.set("commit", AtJson.link(commitCid));
        body.set("ops", opsNode);
        if (author.data != null) {
            body.set("prevData", AtJson.link(author.data));
        }
        body.put("rebase", false).put("repo", author.did).put("rev", rev).put("seq", seq);
        if (author.rev == null) {
            body.putNull("since");
        } else {
            body.put("since", author.rev);
        }
        body.put("time", time).put("tooBig", false);
        author.rev = rev;
        author.data = mstCid;
        return FrameBuilder.frame(COMMIT_HEADER, body);
    }

    /** One MST node holding the ops' keys, prefix-compressed as in a real repo. */
    private static ObjectNode mstNode(List<Op> ops) {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort((a, b) -> a.path().compareTo(b.path()));
        ObjectNode node = NODES.objectNode();
        node.putNull("l");
        ArrayNode entries = node.putArray("e");
        byte[] previous = new byte[0];
        for (Op op : sorted) {
            if (op.record() == null) {
                continue; // a deleted key leaves the node
            }
            byte[] key = op.path().getBytes(StandardCharsets.US_ASCII);
            int prefix = 0;
            while (prefix < key.length && prefix < previous.length && key[prefix] == previous[prefix]) {
                prefix++;
            }
            ObjectNode entry = entries.addObject();
            entry.put("p", prefix);
            entry.set("k", NODES.binaryNode(java.util.Arrays.copyOfRange(key, prefix, key.length)));
            entry.set("v", AtJson.link(op.record().block().cid()));
            entry.putNull("t");
            previous = key;
        }
        return node;
    }

    private static byte[] fakeSignature(String did, String rev) {
        byte[] a = Cids.sha256((did + rev).getBytes(StandardCharsets.UTF_8));
        byte[] b = Cids.sha256(a);
        byte[] sig = new byte[64];
        System.arraycopy(a, 0, sig, 0, 32);
        System.arraycopy(b, 0, sig, 32, 32);
        return sig;
    }

    static ExpectedPost expectedPost(String did, Op op, long seq) {
        return ExpectedPosts.of(did, op.rkey(), op.record().block(), seq);
    }
}
