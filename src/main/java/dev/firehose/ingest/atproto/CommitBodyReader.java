package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_BODY;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.INVALID_CBOR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.LIMIT_EXCEEDED;

/**
 * Reads a {@code #commit} body with the fast path that makes the firehose cheap: canonical DAG-CBOR key order puts
 * {@code ops} first, so by the time {@code blocks} arrives we know whether any post is created. If none is, the CAR
 * bytes are never looked at: Jackson just steps over the byte string. If {@code blocks} comes first (non-canonical
 * order) only its position is remembered, which is as cheap.
 */
final class CommitBodyReader {

    static final String POST_PATH_PREFIX = "app.bsky.feed.post/";

    /** The required fields of a commit body, one bit each; {@link FrameScanner} counts them the same way. */
    static final int SEQ = 1;
    static final int REPO = 2;
    static final int OPS = 4;
    static final int BLOCKS = 8;
    static final int TIME = 16;
    static final int REQUIRED = SEQ | REPO | OPS | BLOCKS | TIME;

    private CommitBodyReader() {
    }

    /** Reads the body map whose START_OBJECT is the current token, up to and including its END_OBJECT. */
    static CommitBody read(FrameCursor c) throws IOException, MalformedFrameException {
        CommitBody body = new CommitBody();
        int seen = 0;
        while (c.nextField()) {
            String name = c.parser.currentName();
            c.parser.nextToken();
            switch (name) {
                case "ops" -> {
                    seen = once(c, seen, OPS, name);
                    readOps(c, body);
                    body.opsRead = true;
                }
                case "seq" -> {
                    seen = once(c, seen, SEQ, name);
                    body.seq = c.readSeq();
                }
                case "repo" -> {
                    seen = once(c, seen, REPO, name);
                    body.repo = c.requireText(name);
                    // it becomes the post URI, which is the NATS message id header: no CR/LF, no non-ASCII, bounded
                    if (!LexiconFormats.isDid(body.repo)) {
                        throw c.fail(BAD_BODY, "repo is not a DID: " + Excerpt.of(body.repo));
                    }
                }
                case "time" -> {
                    seen = once(c, seen, TIME, name);
                    body.time = c.requireText(name);
                    // published with every post of the commit
                    int max = PostFieldCaps.MAX_DATETIME_BYTES;
                    if (Utf8.encodedLength(body.time, max) > max) {
                        throw c.fail(BAD_BODY, "time is longer than " + max + " bytes: " + Excerpt.of(body.time));
                    }
                }
                case "blocks" -> {
                    seen = once(c, seen, BLOCKS, name);
                    if (!c.isBytes()) {
                        throw c.fail(BAD_BODY, "blocks must be a byte string, found " + c.parser.currentToken());
                    }
                    if (!body.opsRead || body.hasPostCreates()) {
                        locateBlocks(c, body);
                    }
                }
                default -> c.parser.skipChildren();
            }
        }
        if ((seen & REQUIRED) != REQUIRED) {
            throw c.fail(BAD_BODY, "#commit lacks " + missing(seen));
        }
        return body;
    }

    private static void readOps(FrameCursor c, CommitBody body) throws IOException, MalformedFrameException {
        if (c.parser.currentToken() != JsonToken.START_ARRAY) {
            throw c.fail(BAD_BODY, "ops must be an array, found " + c.parser.currentToken());
        }
        c.requireDefiniteLength();
        int maxOps = c.limits.maxOps();
        if (c.expectedLength() > maxOps) {
            throw c.fail(LIMIT_EXCEEDED, c.expectedLength() + " ops, more than " + maxOps);
        }
        while (c.parser.nextToken() != JsonToken.END_ARRAY) {
            if (c.parser.currentToken() == null) {
                throw c.fail(INVALID_CBOR, "ops ended unexpectedly");
            }
            if (c.parser.currentToken() != JsonToken.START_OBJECT) {
                throw c.fail(BAD_BODY, "an op must be a map, found " + c.parser.currentToken());
            }
            c.requireDefiniteLength();
            readOp(c, body);
        }
    }

    private static void readOp(FrameCursor c, CommitBody body) throws IOException, MalformedFrameException {
        boolean actionSeen = false;
        boolean pathSeen = false;
        boolean create = false;
        boolean delete = false;
        String postRkey = null;
        int cidOffset = -1;
        while (c.nextField()) {
            String name = c.parser.currentName();
            c.parser.nextToken();
            switch (name) {
                case "action" -> {
                    requireString(c, name);
                    actionSeen = true;
                    create = c.textEquals("create");
                    delete = !create && c.textEquals("delete");
                }
                case "path" -> {
                    requireString(c, name);
                    pathSeen = true;
                    postRkey = c.textStartsWith(POST_PATH_PREFIX) ? c.textFrom(POST_PATH_PREFIX.length()) : null;
                }
                case "cid" -> {
                    if (c.isLink()) {
                        cidOffset = c.tokenOffset();
                    } else if (c.parser.currentToken() != JsonToken.VALUE_NULL) {
                        throw c.fail(BAD_BODY, "op cid must be a link or null, found " + c.parser.currentToken());
                    }
                }
                default -> c.parser.skipChildren();
            }
        }
        if (!actionSeen || !pathSeen) {
            throw c.fail(BAD_BODY, "an op lacks " + (actionSeen ? "path" : "action"));
        }
        if (create && postRkey != null) {
            if (cidOffset < 0) {
                throw c.fail(BAD_BODY, "create op for " + POST_PATH_PREFIX + Excerpt.of(postRkey) + " has no cid");
            }
            body.addPostCreate(postRkey, cidOffset);
        } else if (delete && postRkey != null) {
            body.addPostDelete(postRkey); // a delete names no CID and no block: no CAR work
        }
    }

    /** Remembers where the CAR bytes are in the frame, reading the byte-string head ourselves (zero-copy). */
    private static void locateBlocks(FrameCursor c, CommitBody body) throws MalformedFrameException {
        byte[] f = c.frame;
        int off = c.tokenOffset();
        if (Cbor.major(f[off]) != Cbor.MAJOR_BYTES) {
            throw c.fail(INVALID_CBOR, "blocks does not start with a byte-string head");
        }
        int ai = Cbor.additionalInfo(f[off]);
        int head = Cbor.headLength(ai);
        if (head < 0) {
            throw c.fail(INVALID_CBOR, "blocks is an indefinite-length byte string (not allowed in DAG-CBOR)");
        }
        if (head > f.length - off) {
            throw c.fail(INVALID_CBOR, "blocks runs past the end of the frame");
        }
        long length = Cbor.argument(f, off);
        if (Long.compareUnsigned(length, f.length - off - head) > 0) {
            throw c.fail(INVALID_CBOR, "blocks runs past the end of the frame");
        }
        body.blocksOffset = off + head;
        body.blocksLength = (int) length;
    }

    private static void requireString(FrameCursor c, String field) throws MalformedFrameException {
        if (c.parser.currentToken() != JsonToken.VALUE_STRING) {
            throw c.fail(BAD_BODY, "op " + field + " must be a string, found " + c.parser.currentToken());
        }
    }

    private static int once(FrameCursor c, int seen, int field, String name) throws MalformedFrameException {
        if ((seen & field) != 0) {
            throw c.fail(BAD_BODY, "duplicate field " + name);
        }
        return seen | field;
    }

    private static String missing(int seen) {
        StringBuilder s = new StringBuilder();
        String[] names = {"seq", "repo", "ops", "blocks", "time"};
        for (int i = 0; i < names.length; i++) {
            if ((seen & (1 << i)) == 0) {
                s.append(s.length() == 0 ? "" : ", ").append(names[i]);
            }
        }
        return s.toString();
    }
}
