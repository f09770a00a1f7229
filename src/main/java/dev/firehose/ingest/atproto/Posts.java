package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Consumer;

/**
 * Posts from {@code app.bsky.feed.post} records that do not arrive in a relay frame: another source delivers the
 * same records as AT-JSON ({@code {"$type": "app.bsky.feed.post", "text": ..., "facets": [...], "reply": {...},
 * "embed": {...}, "langs": [...], "labels": {...}, "createdAt": ...}}). The same validation and bounds as the frame
 * decoder: the repo must be a DID, the record key valid, the CID a CIDv1, the text within
 * {@link DecodeLimits#DEFAULT_MAX_TEXT_BYTES}, every optional field within {@link PostFieldCaps}. So a post from here
 * is as safe to publish as one from a frame, and equal to it for the same record.
 */
public final class Posts {

    /** Longer than any CID text the codec accepts (a 64-byte digest gives about 110 chars). */
    private static final int MAX_CID_CHARS = 128;

    private Posts() {
    }

    /** As {@link #fromRecord(JsonNode, String, String, String, Long, String, Consumer)}, not reporting adjustments. */
    public static Post fromRecord(JsonNode record, String repoDid, String rkey, String cid, Long seq, String time)
            throws RejectedRecordException {
        return fromRecord(record, repoDid, rkey, cid, seq, time, problem -> {
        });
    }

    /**
     * The post a record makes when created at {@code at://<repoDid>/app.bsky.feed.post/<rkey>}.
     *
     * @param record        the record as an AT-JSON tree (e.g. Jackson's {@code readTree} of the JSON text)
     * @param cid           the record's CID, base32 CIDv1 text ({@code bafyrei...}); published in canonical form
     * @param seq           the source's sequence number, or null when it has none
     * @param time          the source's event time (at most 64 bytes), or null
     * @param fieldProblems receives each adjustment made to fit {@link PostFieldCaps} (values dropped, lists cut),
     *                      as {@link FirehoseEvent#fieldProblems()} lists them for a frame: the same counter applies
     * @throws RejectedRecordException with {@link RecordProblem.Reason#INVALID_RECORD} when the record is not a post
     *                                 or the repo, record key, CID or time is invalid, and
     *                                 {@link RecordProblem.Reason#TEXT_TOO_LONG} when the text is over its cap
     */
    public static Post fromRecord(JsonNode record, String repoDid, String rkey, String cid, Long seq, String time,
                                  Consumer<? super FieldProblem> fieldProblems) throws RejectedRecordException {
        if (record == null) {
            throw invalid("no record");
        }
        if (repoDid == null || !LexiconFormats.isDid(repoDid)) {
            throw invalid("repo is not a DID: " + Excerpt.of(repoDid));
        }
        if (rkey == null || !RecordKey.isValid(rkey)) {
            throw invalid("invalid record key: " + Excerpt.of(rkey));
        }
        String cidText = canonicalCid(cid);
        int maxTime = PostFieldCaps.MAX_DATETIME_BYTES;
        int timeBytes = time == null ? 0 : Utf8.encodedLength(time, maxTime);
        if (timeBytes < 0 || timeBytes > maxTime) {
            throw invalid("time is not a string of at most " + maxTime + " bytes: " + Excerpt.of(time));
        }
        PostContent content = PostRecordMapper.content(record, DecodeLimits.DEFAULT_MAX_TEXT_BYTES);
        Post post = PostRecordMapper.post(content, repoDid, rkey, cidText, seq, time);
        content.fieldProblemsAt(CommitBodyReader.POST_PATH_PREFIX + rkey).forEach(fieldProblems);
        return post;
    }

    private static String canonicalCid(String cid) throws RejectedRecordException {
        if (cid == null || cid.length() > MAX_CID_CHARS) {
            throw invalid("not a CID: " + Excerpt.of(cid));
        }
        try {
            return Cid.fromString(cid).toString();
        } catch (IllegalArgumentException e) {
            throw invalid("not a CID: " + Excerpt.of(cid));
        }
    }

    private static RejectedRecordException invalid(String detail) {
        return new RejectedRecordException(RecordProblem.Reason.INVALID_RECORD, detail);
    }
}
