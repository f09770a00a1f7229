package dev.firehose.ingest.delivery;

import java.util.Locale;

/**
 * Where a post was when the pipeline gave up on it, the {@code stage} label of {@code firehose_posts_failed_total}.
 * Only publishing is retried without end (rule D2); a failure anywhere else is counted here once and the frames
 * around it flow on.
 */
public enum FailureStage {
    /** A step on the whole frame failed after decoding (its posts never reached the filter). */
    FRAME,
    /** A step on the post before batching failed: a filter rule or a step an operator added. */
    POST,
    /** The post was held in a batch, but the batch's steps failed or dropped it before the publisher took it. */
    BATCH,
    /** JetStream refused it for good: too large for the server, an invalid subject or header. */
    PUBLISH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
