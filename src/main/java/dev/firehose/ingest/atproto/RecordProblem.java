package dev.firehose.ingest.atproto;

/**
 * A post record the decoder skipped because it was bad input; the frame's other posts still come out.
 *
 * @param path   repo path of the op, {@code app.bsky.feed.post/<rkey>}; for an invalid record key, an escaped excerpt
 *               of it in quotes (it may be megabytes long or hold CR/LF)
 * @param cid    the op's record CID as a string
 * @param reason what was wrong
 * @param detail human-readable specifics, for logs
 */
public record RecordProblem(String path, String cid, Reason reason, String detail) {

    public enum Reason {
        /** The commit's CAR has no block for the op's CID. */
        BLOCK_MISSING,
        /** The block's sha2-256 does not match the CID it was filed under. */
        CID_MISMATCH,
        /** The block is not strict DAG-CBOR (or not within the atproto data model). */
        INVALID_DAG_CBOR,
        /**
         * Valid DAG-CBOR but not an {@code app.bsky.feed.post} record with a string {@code text}, or a bad record key
         * (from {@link Posts#fromRecord} also: a repo that is not a DID, a bad CID or time, text that is not Unicode).
         */
        INVALID_RECORD,
        /** The text is longer than {@link DecodeLimits#maxTextBytes()} (the lexicon allows 3000 bytes). */
        TEXT_TOO_LONG,
        /**
         * The frame's posts before this one already hold {@link DecodeLimits#maxFrameTextBytes()} of text, or this
         * one's text would take them over it (many creates pointing at one large record, say).
         */
        TEXT_BUDGET_EXCEEDED
    }
}
