package dev.firehose.ingest.atproto;

/**
 * An adjustment made to one optional field of a published post: values dropped for being over their cap
 * ({@link PostFieldCaps}) or of the wrong syntax, or a list cut at its count. The post still came out; this is for
 * the counter {@code firehose_post_fields_dropped_total{field}} and for logs.
 *
 * @param path   repo path of the post, {@code app.bsky.feed.post/<rkey>}
 * @param field  the post's JSON field: one of the constants below
 * @param reason what was wrong
 * @param values how many values were dropped (1 for a single-valued field)
 */
public record FieldProblem(String path, String field, Reason reason, int values) {

    public static final String CREATED_AT = "created_at";
    public static final String LANGS = "langs";
    public static final String REPLY_ROOT = "reply.root";
    public static final String REPLY_PARENT = "reply.parent";
    public static final String TAGS = "tags";
    public static final String MENTIONS = "mentions";
    public static final String LINKS = "links";
    public static final String EMBED = "embed";
    public static final String LABELS = "labels";

    public enum Reason {
        /** A value longer than its cap, in UTF-8 bytes. */
        TOO_LONG,
        /**
         * A value of the wrong syntax: a mention that is not a DID, a reply URI that is not an at:// URI, a link that
         * is not a URI, an embed type that is not an NSID; or a string with no UTF-8 form (JSON input only).
         */
        INVALID,
        /** A list longer than its count: the values beyond it were cut. */
        TOO_MANY
    }

    /** The same adjustment, made to the post at {@code path}. */
    FieldProblem at(String path) {
        return new FieldProblem(path, field, reason, values);
    }
}
