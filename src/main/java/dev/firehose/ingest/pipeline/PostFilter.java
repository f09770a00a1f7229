package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.atproto.Post;

/**
 * Which posts go on to the stream: text length in Unicode code points, as the original service counted it.
 * Used by the filter EIP in the route ({@code method: {ref: postFilter, method: accept}}).
 */
public final class PostFilter {

    private final boolean enabled;
    private final int minTextLength;
    private final int maxTextLength;
    private final IngestMetrics metrics;

    public PostFilter(boolean enabled, int minTextLength, int maxTextLength, IngestMetrics metrics) {
        this.enabled = enabled;
        this.minTextLength = minTextLength;
        this.maxTextLength = maxTextLength;
        this.metrics = metrics;
    }

    public boolean accept(Post post) {
        if (!enabled) {
            return true;
        }
        int length = post.textCodePoints();
        if (length < minTextLength) {
            metrics.increment(IngestMetrics.POSTS_FILTERED, "too_short");
            return false;
        }
        if (length > maxTextLength) {
            metrics.increment(IngestMetrics.POSTS_FILTERED, "too_long");
            return false;
        }
        return true;
    }
}
