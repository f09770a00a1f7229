package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.metrics.IngestMetrics;
import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Collects accepted posts into a {@code List<Post>} batch for the aggregator, and marks each post as held in the
 * {@link DeliveryWatermark}: from here until its PubAck, it keeps the cursor from moving past its frame.
 * Runs in the frame reader's thread, before the frame is finished, which is what makes the watermark exact.
 */
public final class PostBatchStrategy implements AggregationStrategy {

    private final DeliveryWatermark watermark;
    private final IngestMetrics metrics;

    public PostBatchStrategy(DeliveryWatermark watermark, IngestMetrics metrics) {
        this.watermark = watermark;
        this.metrics = metrics;
    }

    @Override
    public void onCompletion(Exchange batch) {
        metrics.recordBatchSize(batch.getMessage().getBody(List.class).size());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange batch, Exchange incoming) {
        Post post = incoming.getMessage().getBody(Post.class);
        watermark.postHeld(post.seq());
        if (batch == null) {
            List<Post> posts = new ArrayList<>();
            posts.add(post);
            incoming.getMessage().setBody(posts);
            return incoming;
        }
        batch.getMessage().getBody(List.class).add(post);
        return batch;
    }
}
