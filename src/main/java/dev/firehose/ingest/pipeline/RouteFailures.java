package dev.firehose.ingest.pipeline;

import java.util.List;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FailedPosts;
import dev.firehose.ingest.delivery.FailureStage;
import dev.firehose.ingest.delivery.FrameBatch;
import dev.firehose.ingest.delivery.LogThrottle;
import dev.firehose.ingest.delivery.PostCustody;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the service's dead letter channel, its default error handler for every route (set in code, not in the
 * YAML): an exchange whose step threw comes here once, with no redelivery (rule D2: only publishing is retried without
 * end, inside the publisher). A post is failed at stage {@code post} (before batching) or {@code batch} (after); a
 * frame's exchange, with its posts, at stage {@code frame}. Counted, logged, dead-lettered; the frames around flow on.
 */
public final class RouteFailures implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFailures.class);

    private final PostCustody custody;
    private final FailedPosts failures;
    private final DeadLetters deadLetters;
    private final java.util.function.LongConsumer frameFailed;
    private final LogThrottle frameLog = new LogThrottle(10, 10_000);

    public RouteFailures(PostCustody custody, FailedPosts failures, DeadLetters deadLetters,
                         java.util.function.LongConsumer frameFailed) {
        this.custody = custody;
        this.failures = failures;
        this.deadLetters = deadLetters;
        this.frameFailed = frameFailed;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object body = exchange.getMessage().getBody();
        List<Post> posts = PostBodies.of(body);
        if (!posts.isEmpty()) {
            FailureStage stage = body instanceof Post ? FailureStage.POST : FailureStage.FRAME;
            for (Post post : posts) {
                fail(post, stage, cause);
            }
            return;
        }
        FrameBatch frames = body instanceof FrameBatch batch ? batch
                : body instanceof byte[] frame ? FrameBatch.of(frame, null) : new FrameBatch(0);
        long suppressed = frameLog.admit();
        if (suppressed >= 0) {
            LOG.warn("A route step failed on {} frame(s), which are skipped: {}{}", Math.max(1, frames.size()), cause,
                    LogThrottle.suffix(suppressed));
        }
        for (int i = 0; i < frames.size(); i++) {
            deadLetters.frame(frames.frame(i), "route step failed: " + cause, -1);
        }
        frameFailed.accept(Math.max(1, frames.size()));
    }

    /** A post in custody was held in a batch, so it failed at stage batch whatever the caller saw. */
    private void fail(Post post, FailureStage stageIfNotHeld, Throwable cause) {
        DeliveryWatermark.Frame frame = custody.take(post);
        failures.failed(post, frame, frame != null ? FailureStage.BATCH : stageIfNotHeld, cause);
    }
}
