package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.metrics.IngestMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** After the JetStream producer: the post has its PubAck, so its frame may release the cursor. */
public final class PostPublishedProcessor implements Processor {

    private final DeliveryWatermark watermark;
    private final CursorCheckpointer checkpointer;
    private final IngestMetrics metrics;

    public PostPublishedProcessor(DeliveryWatermark watermark, CursorCheckpointer checkpointer,
                                  IngestMetrics metrics) {
        this.watermark = watermark;
        this.checkpointer = checkpointer;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        long seq = exchange.getProperty(PostMessageProcessor.POST_SEQ, Long.class);
        metrics.increment(IngestMetrics.POSTS_PUBLISHED);
        metrics.increment(IngestMetrics.POSTS_BY_LANGUAGE,
                exchange.getProperty(PostMessageProcessor.SUBJECT_LANGUAGE, String.class));
        Long start = exchange.getProperty(PostMessageProcessor.PUBLISH_START, Long.class);
        if (start != null) {
            metrics.recordPublishNanos(System.nanoTime() - start);
        }
        watermark.postAcked(seq);
        checkpointer.postAcked();
    }
}
