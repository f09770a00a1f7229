package dev.firehose.ingest.delivery;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.metrics.IngestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one place a post the pipeline gives up on goes (rule D2): released from the watermark if it was held (so the
 * cursor moves on), counted in {@code firehose_posts_failed_total{stage}}, logged (throttled), and dead-lettered.
 */
public final class FailedPosts {

    private static final Logger LOG = LoggerFactory.getLogger(FailedPosts.class);

    private final DeliveryWatermark watermark;
    private final DeadLetters deadLetters;
    private final Map<FailureStage, LongAdder> counters = new EnumMap<>(FailureStage.class);
    private final LogThrottle throttle = new LogThrottle(10, 10_000);

    public FailedPosts(DeliveryWatermark watermark, DeadLetters deadLetters, IngestMetrics metrics) {
        this.watermark = watermark;
        this.deadLetters = deadLetters;
        for (FailureStage stage : FailureStage.values()) {
            counters.put(stage, metrics.counter(IngestMetrics.POSTS_FAILED, stage.label()));
        }
    }

    /**
     * {@code post} failed at {@code stage}; {@code frame} is the frame it held back (null when it was not held).
     */
    public void failed(Post post, DeliveryWatermark.Frame frame, FailureStage stage, Throwable cause) {
        if (frame != null) {
            watermark.postFailed(frame);
        }
        counters.get(stage).increment();
        String reason = cause == null ? "dropped" : cause.toString();
        long suppressed = throttle.admit();
        if (suppressed >= 0) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("seq", String.valueOf(post.seq()))) {
                LOG.warn("Post {} failed at stage {} and will not be published: {}{}", post.uri(), stage.label(),
                        reason, LogThrottle.suffix(suppressed));
            }
        }
        deadLetters.post(post, stage.label(), reason);
    }
}
