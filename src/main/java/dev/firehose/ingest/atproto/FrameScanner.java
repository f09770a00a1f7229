package dev.firehose.ingest.atproto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path for nearly all of the firehose: {@code #commit}, {@code #identity}, {@code #account} and
 * {@code #sync} frames. It walks the frame's raw bytes once, without a Jackson parser, and returns the event only when
 * the frame is plainly well formed; at the first thing it does not expect (a non-ASCII key or string it reads, an
 * indefinite length, a float, a tag other than 42, a duplicate field, trailing bytes...) it declines, and the frame is
 * decoded in full by {@link FrameDecoder}'s Jackson path, which gives the exact event or error as before. A commit's
 * post creates and deletes go through the same {@link PostExtractor} as on the full path, with the same
 * {@link CommitBody}; if that fails, the scanner declines too, so the full path reports the error. So the fast path
 * changes what a frame costs, never what it decodes to ({@code FrameScannerTest} compares the two on real and mutated
 * frames).
 *
 * <p>Why by hand: Jackson 2's CBOR parser costs a handful of objects and a synchronized stack operation per name
 * even when a frame needs none of its values; on the live stream that was the decoder's largest cost.
 */
final class FrameScanner {

    /** Deeper than any real body's unknown fields nest; deeper ones take the full path. */
    private static final int MAX_DEPTH = 16;
    /** Longer map keys take the full path (Jackson limits names, and no body field name is this long). */
    private static final int MAX_KEY_BYTES = 64;

    private static final byte[] OP = ascii("op");
    private static final byte[] T = ascii("t");
    /** The frame types read here, and their names as bytes at the same index. */
    private static final String[] TYPES = {
            FirehoseEvent.COMMIT, FirehoseEvent.IDENTITY, FirehoseEvent.ACCOUNT, FirehoseEvent.SYNC};
    private static final byte[][] TYPE_NAMES = Arrays.stream(TYPES).map(FrameScanner::ascii).toArray(byte[][]::new);
    private static final int MAX_TYPE_BYTES = 16;
    private static final byte[] OPS = ascii("ops");
    private static final byte[] SEQ = ascii("seq");
    private static final byte[] REPO = ascii("repo");
    private static final byte[] DID = ascii("did");
    private static final byte[] TIME = ascii("time");
    private static final byte[] BLOCKS = ascii("blocks");
    private static final byte[] ACTION = ascii("action");
    private static final byte[] PATH = ascii("path");
    private static final byte[] CID = ascii("cid");
    private static final byte[] CREATE = ascii("create");
    private static final byte[] DELETE = ascii("delete");
    private static final byte[] POST_PATH_PREFIX = ascii(CommitBodyReader.POST_PATH_PREFIX);

    private static final int FALSE = 0xf4;
    private static final int TRUE = 0xf5;
    private static final int NULL = 0xf6;
    /** Tag 42 in its one-byte-argument head: 0xd8 0x2a. */
    private static final int TAG_42_HEAD = 0xd8;

    private final byte[] b;
    private final int end;
    private final DecodeLimits limits;
    private final int maxDepth;
    private int pos;

    private FrameScanner(byte[] frame, DecodeLimits limits) {
        this.b = frame;
        this.end = frame.length;
        this.limits = limits;
        this.maxDepth = Math.min(MAX_DEPTH, limits.maxNestingDepth());
    }

    /**
     * The event of a well-formed frame of a type read here, its posts extracted by {@code posts}; or null: decode this
     * frame in full.
     */
    static FirehoseEvent scan(byte[] frame, DecodeLimits limits, PostExtractor posts) {
        try {
            return new FrameScanner(frame, limits).event(posts);
        } catch (Decline decline) {
            return null;
        }
    }

    private FirehoseEvent event(PostExtractor posts) throws Decline {
        require(maxDepth > 3); // the full path's limit must leave room for body, ops and op maps
        String type = header();
        require(majorAt() == Cbor.MAJOR_MAP);
        long entries = count(head(), 2);
        if (!FirehoseEvent.COMMIT.equals(type)) {
            return repoEvent(type, entries);
        }
        CommitBody body = commit(entries);
        if (!body.hasPostCreates() && body.postDeletes.isEmpty()) {
            // most frames: what the post extraction would return, without the cursor it needs
            return FirehoseEvent.commit(body.seq, body.repo, body.time, List.of(), List.of(), List.of(), List.of());
        }
        FrameCursor cursor = FrameCursor.withoutParser(b, limits, body.seq);
        try {
            return posts.commitEvent(cursor, body);
        } catch (MalformedFrameException | RuntimeException e) {
            throw Decline.INSTANCE; // the full path reports it
        }
    }

    /** A commit body, read into what {@link CommitBodyReader} makes of it. */
    private CommitBody commit(long entries) throws Decline {
        CommitBody body = new CommitBody();
        int seen = 0;
        for (long i = 0; i < entries; i++) {
            long key = text(MAX_KEY_BYTES);
            int field;
            if (is(key, OPS)) {
                field = CommitBodyReader.OPS;
                ops(body);
            } else if (is(key, SEQ)) {
                field = CommitBodyReader.SEQ;
                body.seq = seq();
            } else if (is(key, REPO)) {
                field = CommitBodyReader.REPO;
                body.repo = string(text(LexiconFormats.MAX_DID_LENGTH));
                require(LexiconFormats.isDid(body.repo));
            } else if (is(key, TIME)) {
                field = CommitBodyReader.TIME;
                body.time = string(text(PostFieldCaps.MAX_DATETIME_BYTES));
            } else if (is(key, BLOCKS)) {
                field = CommitBodyReader.BLOCKS;
                require(majorAt() == Cbor.MAJOR_BYTES);
                long n = head();
                body.blocksOffset = pos;
                body.blocksLength = length(n);
                pos += body.blocksLength;
            } else {
                field = 0;
                skip(2);
            }
            require((seen & field) == 0);
            seen |= field;
        }
        require(seen == CommitBodyReader.REQUIRED && pos == end);
        return body;
    }

    /** {@code #identity}, {@code #account}, {@code #sync}: {@code seq}, {@code did} and {@code time}, once each. */
    private FirehoseEvent repoEvent(String type, long entries) throws Decline {
        long seq = -1;
        String did = null;
        String time = null;
        for (long i = 0; i < entries; i++) {
            long key = text(MAX_KEY_BYTES);
            if (is(key, SEQ)) {
                require(seq < 0);
                seq = seq();
            } else if (is(key, DID)) {
                require(did == null);
                did = string(text(Integer.MAX_VALUE));
            } else if (is(key, TIME)) {
                require(time == null);
                time = string(text(Integer.MAX_VALUE));
            } else {
                skip(2);
            }
        }
        require(seq >= 0 && did != null && time != null && pos == end);
        return FirehoseEvent.repoEvent(type, seq, did, time);
    }

    /** {@code {op: 1, t: <a type read here>}} and nothing else; returns the type. */
    private String header() throws Decline {
        require(majorAt() == Cbor.MAJOR_MAP && head() == 2);
        boolean op = false;
        String type = null;
        for (int i = 0; i < 2; i++) {
            long key = text(MAX_KEY_BYTES);
            if (is(key, OP) && !op) {
                need(1);
                require(b[pos] == 0x01);
                pos++;
                op = true;
            } else if (is(key, T) && type == null) {
                type = type(text(MAX_TYPE_BYTES));
            } else {
                throw Decline.INSTANCE;
            }
        }
        return type;
    }

    private String type(long span) throws Decline {
        for (int i = 0; i < TYPES.length; i++) {
            if (is(span, TYPE_NAMES[i])) {
                return TYPES[i];
            }
        }
        throw Decline.INSTANCE;
    }

    private void ops(CommitBody body) throws Decline {
        require(majorAt() == Cbor.MAJOR_ARRAY);
        long n = count(head(), 1);
        require(n <= limits.maxOps());
        for (long i = 0; i < n; i++) {
            op(body);
        }
    }

    /** One op map; a post create or delete is added to {@code body} as {@link CommitBodyReader} adds it. */
    private void op(CommitBody body) throws Decline {
        require(majorAt() == Cbor.MAJOR_MAP);
        long entries = count(head(), 2);
        long action = -1;
        long path = -1;
        int cidOffset = -1;
        boolean cid = false;
        for (long i = 0; i < entries; i++) {
            long key = text(MAX_KEY_BYTES);
            if (is(key, ACTION)) {
                require(action < 0);
                action = text(Integer.MAX_VALUE);
            } else if (is(key, PATH)) {
                require(path < 0);
                path = text(Integer.MAX_VALUE);
            } else if (is(key, CID)) {
                require(!cid);
                cid = true;
                cidOffset = linkOrNull();
            } else {
                skip(4);
            }
        }
        require(action >= 0 && path >= 0);
        boolean create = is(action, CREATE);
        if ((create || is(action, DELETE)) && startsWith(path, POST_PATH_PREFIX)) {
            String rkey = string(from(path, POST_PATH_PREFIX.length));
            if (create) {
                require(cidOffset >= 0); // the full path reports a post create without a CID
                body.addPostCreate(rkey, cidOffset);
            } else {
                body.addPostDelete(rkey);
            }
        }
    }

    /** A link's offset (where its tag starts), or -1 for null. */
    private int linkOrNull() throws Decline {
        need(1);
        if ((b[pos] & 0xff) == NULL) {
            pos++;
            return -1;
        }
        int at = pos;
        link();
        return at;
    }

    /** Tag 42 on a definite byte string; a post create's CID is checked when its record is read, as on the full path. */
    private void link() throws Decline {
        need(3);
        require((b[pos] & 0xff) == TAG_42_HEAD && b[pos + 1] == Cbor.CID_TAG
                && Cbor.major(b[pos + 2]) == Cbor.MAJOR_BYTES);
        pos += 2;
        long n = head();
        pos += length(n);
    }

    /** A non-negative integer that fits a long. */
    private long seq() throws Decline {
        require(majorAt() == Cbor.MAJOR_UNSIGNED);
        long value = head();
        require(value >= 0);
        return value;
    }

    /** Skips one item of a kind the full path reads the same way; {@code depth}: the nesting a container here has. */
    private void skip(int depth) throws Decline {
        int major = majorAt();
        switch (major) {
            case Cbor.MAJOR_UNSIGNED, Cbor.MAJOR_NEGATIVE -> head();
            case Cbor.MAJOR_BYTES, Cbor.MAJOR_TEXT -> {
                long n = head();
                pos += length(n);
            }
            case Cbor.MAJOR_ARRAY -> {
                require(depth < maxDepth);
                long n = count(head(), 1);
                for (long i = 0; i < n; i++) {
                    skip(depth + 1);
                }
            }
            case Cbor.MAJOR_MAP -> {
                require(depth < maxDepth);
                long n = count(head(), 2);
                for (long i = 0; i < n; i++) {
                    text(MAX_KEY_BYTES);
                    skip(depth + 1);
                }
            }
            case Cbor.MAJOR_TAG -> link();
            default -> {
                int ib = b[pos] & 0xff;
                require(ib == FALSE || ib == TRUE || ib == NULL);
                pos++;
            }
        }
    }

    /**
     * A definite ASCII text string of at most {@code max} bytes, as a span (offset and length in one long); pos
     * moves past it.
     */
    private long text(int max) throws Decline {
        require(majorAt() == Cbor.MAJOR_TEXT);
        long n = head();
        require(n >= 0 && n <= max);
        int start = pos;
        pos += length(n);
        for (int i = start; i < pos; i++) {
            require(b[i] >= 0);
        }
        return ((long) start << 32) | (pos - start);
    }

    /** The span without its first {@code n} bytes. */
    private static long from(long span, int n) {
        return span + ((long) n << 32) - n;
    }

    private String string(long span) {
        return new String(b, (int) (span >>> 32), (int) span, StandardCharsets.ISO_8859_1);
    }

    private boolean is(long span, byte[] expected) {
        return (int) span == expected.length && startsWith(span, expected);
    }

    private boolean startsWith(long span, byte[] prefix) {
        int start = (int) (span >>> 32);
        return (int) span >= prefix.length
                && Arrays.equals(b, start, start + prefix.length, prefix, 0, prefix.length);
    }

    /** The major type of the item at pos. */
    private int majorAt() throws Decline {
        need(1);
        return Cbor.major(b[pos]);
    }

    /** Consumes the definite head at pos and returns its argument, unsigned in a long (callers bound it). */
    private long head() throws Decline {
        int n = Cbor.headLength(Cbor.additionalInfo(b[pos]));
        require(n > 0);
        need(n);
        long arg = Cbor.argument(b, pos);
        pos += n;
        return arg;
    }

    /** An entry count that the bytes left can hold ({@code minBytes} per entry). */
    private long count(long n, int minBytes) throws Decline {
        require(n >= 0 && n <= (end - pos) / minBytes);
        return n;
    }

    /** A string length that fits in what is left of the frame. */
    private int length(long n) throws Decline {
        require(n >= 0 && n <= end - pos);
        return (int) n;
    }

    private void need(int n) throws Decline {
        require(end - pos >= n);
    }

    private static void require(boolean condition) throws Decline {
        if (!condition) {
            throw Decline.INSTANCE;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Not a frame for the fast path; thrown without a stack trace (it is control flow, and frequent). */
    private static final class Decline extends Exception {
        static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }
}
