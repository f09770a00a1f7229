package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.metrics.IngestMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs before each redelivery of a failed step (in practice: a JetStream publish that failed or timed out).
 * Counts it as a publish error, as the original service did, and says which post is retried.
 */
public final class PublishRetryProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PublishRetryProcessor.class);

    private final IngestMetrics metrics;

    public PublishRetryProcessor(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        metrics.increment(IngestMetrics.PUBLISH_ERRORS);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object seq = exchange.getProperty(PostMessageProcessor.POST_SEQ);
        try (MDC.MDCCloseable ignored = MDC.putCloseable("seq", String.valueOf(seq))) {
            LOG.warn("Publish of {} failed, retrying (attempt {}): {}",
                    exchange.getMessage().getHeader(PostMessageProcessor.MSG_ID),
                    exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER),
                    cause == null ? "?" : cause.toString());
        }
    }
}
