package dev.firehose.ingest.atproto;

/**
 * Upper bounds the decoder enforces so that one hostile frame cannot cost unbounded memory or time.
 *
 * @param maxFrameBytes   whole websocket frame; larger frames are rejected before parsing ({@code TOO_LARGE})
 * @param maxNestingDepth CBOR array/map nesting, in the frame and in each record block ({@code TOO_DEEP})
 * @param maxBlocks       blocks in one commit's CAR ({@code LIMIT_EXCEEDED})
 * @param maxBlockBytes   bytes of one block in that CAR ({@code LIMIT_EXCEEDED})
 * @param maxOps          ops in one commit ({@code LIMIT_EXCEEDED})
 * @param maxTextBytes    UTF-8 bytes of one post's text; a longer one makes the record a {@code TEXT_TOO_LONG}
 *                        {@link RecordProblem}
 * @param maxFrameTextBytes UTF-8 bytes of text in all the posts of one frame together; the posts beyond it are
 *                        {@code TEXT_BUDGET_EXCEEDED} {@link RecordProblem}s (many creates of one large record would
 *                        otherwise multiply its text)
 */
public record DecodeLimits(int maxFrameBytes, int maxNestingDepth, int maxBlocks, int maxBlockBytes, int maxOps,
                           int maxTextBytes, int maxFrameTextBytes) {

    /** 64 KiB: far above the lexicon's 3000 bytes, and what keeps a post's JSON within a NATS message. */
    public static final int DEFAULT_MAX_TEXT_BYTES = 64 * 1024;
    /** 1 MiB: a real commit (at most 200 ops, 3000 bytes of text a post) carries at most some 600 KB. */
    public static final int DEFAULT_MAX_FRAME_TEXT_BYTES = 1024 * 1024;

    private static final DecodeLimits DEFAULTS = new DecodeLimits(5 * 1024 * 1024, 128, 10_000, 2 * 1024 * 1024, 10_000);

    public DecodeLimits {
        if (maxFrameBytes <= 0 || maxNestingDepth <= 0 || maxBlocks <= 0 || maxBlockBytes <= 0 || maxOps <= 0
                || maxTextBytes <= 0 || maxFrameTextBytes <= 0) {
            throw new IllegalArgumentException("decode limits must be positive: " + maxFrameBytes + ", " + maxNestingDepth
                    + ", " + maxBlocks + ", " + maxBlockBytes + ", " + maxOps + ", " + maxTextBytes + ", "
                    + maxFrameTextBytes);
        }
    }

    /** The frame limits as given, the text limits the defaults. */
    public DecodeLimits(int maxFrameBytes, int maxNestingDepth, int maxBlocks, int maxBlockBytes, int maxOps) {
        this(maxFrameBytes, maxNestingDepth, maxBlocks, maxBlockBytes, maxOps, DEFAULT_MAX_TEXT_BYTES,
                DEFAULT_MAX_FRAME_TEXT_BYTES);
    }

    /**
     * 5 MiB frame, nesting depth 128, 10 000 blocks of at most 2 MiB, 10 000 ops, 64 KiB of text per post and 1 MiB
     * per frame. Relays keep commits far below these (a commit carries at most 200 ops and about 2 MB of blocks),
     * so only garbage or abuse hits them.
     */
    public static DecodeLimits defaults() {
        return DEFAULTS;
    }
}
