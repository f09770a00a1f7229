package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An {@code app.bsky.feed.post} record deleted in a commit, as published downstream when deletes are published
 * ({@code PUBLISH_DELETES}), so a store can retract the post it indexed:
 * {@code {"uri", "author", "seq", "time", "deleted_at"}}.
 *
 * @param uri    the deleted post's URI, {@code at://<author>/app.bsky.feed.post/<rkey>}: the post's own message id
 * @param author the repo DID
 * @param seq    the relay's sequence number of the commit, or null (a Jetstream event has none)
 * @param time   the source's time of the delete: the relay commit's {@code time}, or Jetstream's {@code time_us} to
 *               the millisecond
 */
@JsonPropertyOrder({"uri", "author", "seq", "time", "deleted_at"})
public record PostDelete(String uri, String author, Long seq, String time) {

    /** When the post was deleted: the source's time of the delete ({@link #time()}), ISO-8601. */
    @JsonProperty("deleted_at")
    public String deletedAt() {
        return time;
    }

    /**
     * The delete of {@code at://<repoDid>/app.bsky.feed.post/<rkey>}, with the checks a post's URI gets (it becomes a
     * message id header).
     *
     * @throws RejectedRecordException {@link RecordProblem.Reason#INVALID_RECORD} when the repo is not a DID, the
     *                                 record key is invalid or the time is over 64 bytes
     */
    public static PostDelete of(String repoDid, String rkey, Long seq, String time) throws RejectedRecordException {
        if (repoDid == null || !LexiconFormats.isDid(repoDid)) {
            throw invalid("repo is not a DID: " + Excerpt.of(repoDid));
        }
        if (rkey == null || !RecordKey.isValid(rkey)) {
            throw invalid("invalid record key: " + Excerpt.of(rkey));
        }
        int maxTime = PostFieldCaps.MAX_DATETIME_BYTES;
        int timeBytes = time == null ? 0 : Utf8.encodedLength(time, maxTime);
        if (timeBytes < 0 || timeBytes > maxTime) {
            throw invalid("time is not a string of at most " + maxTime + " bytes: " + Excerpt.of(time));
        }
        return new PostDelete("at://" + repoDid + "/" + CommitBodyReader.POST_PATH_PREFIX + rkey, repoDid, seq, time);
    }

    private static RejectedRecordException invalid(String detail) {
        return new RejectedRecordException(RecordProblem.Reason.INVALID_RECORD, detail);
    }
}
