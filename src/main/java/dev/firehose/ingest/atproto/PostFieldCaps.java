package dev.firehose.ingest.atproto;

/**
 * Hard caps on every optional field of a published {@link Post}, in UTF-8 bytes per value and values per list.
 * Taken from the {@code app.bsky.feed.post} lexicon where it has a limit, a little above it otherwise, so that no
 * honest post loses anything and one post's JSON always fits a NATS message (see docs/codec.md for the worst case).
 * A value over its cap or of the wrong syntax is dropped, a list over its count is cut, and each adjustment is
 * reported as a {@link FieldProblem}; the post itself still comes out. The text has its own cap,
 * {@link DecodeLimits#maxTextBytes()}, above which the record is a {@link RecordProblem}.
 */
public final class PostFieldCaps {

    /** {@code created_at}, and the relay's commit {@code time} (an RFC 3339 datetime is about 30). */
    public static final int MAX_DATETIME_BYTES = 64;
    /** {@code langs}: the lexicon allows 3. */
    public static final int MAX_LANGS = 8;
    /** One language tag (BCP-47 tags are rarely over 20). */
    public static final int MAX_LANG_BYTES = 128;
    /** {@code reply.root}, {@code reply.parent} (at-uri) and each of {@code links} (uri): the formats' 8 KiB. */
    public static final int MAX_URI_BYTES = LexiconFormats.MAX_URI_LENGTH;
    /** A DID: the repo (then the frame is malformed) and each of {@code mentions}; the DID spec's 2 KiB. */
    public static final int MAX_DID_BYTES = LexiconFormats.MAX_DID_LENGTH;
    /** {@code embed}: an NSID (317 at most by its spec), optionally with {@code #name}. */
    public static final int MAX_EMBED_TYPE_BYTES = LexiconFormats.MAX_NSID_LENGTH;
    /** {@code tags}: facet {@code #tag}s and the record's {@code tags} together (the lexicon: 8 record tags). */
    public static final int MAX_TAGS = 32;
    /** One tag: the lexicon's 640 bytes. */
    public static final int MAX_TAG_BYTES = 640;
    /** {@code mentions}: facet {@code #mention} DIDs. */
    public static final int MAX_MENTIONS = 32;
    /** {@code links}: facet {@code #link} URIs. */
    public static final int MAX_LINKS = 32;
    /** {@code labels}: self-label values, as the lexicon (10). */
    public static final int MAX_LABELS = 10;
    /** One label value, as the lexicon (128). */
    public static final int MAX_LABEL_BYTES = 128;

    private PostFieldCaps() {
    }
}
