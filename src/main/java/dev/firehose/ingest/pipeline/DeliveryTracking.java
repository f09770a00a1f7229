package dev.firehose.ingest.pipeline;

import java.util.List;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FailedPosts;
import dev.firehose.ingest.delivery.FailureStage;
import dev.firehose.ingest.delivery.PostCustody;
import dev.firehose.ingest.delivery.PostOrigins;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.AggregateDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Keeps the delivery watermark right around the aggregate EIP, whatever the YAML around it says (rule D2). Registered
 * in code for every route, so no route step has to remember it:
 * <ul>
 * <li>a post that enters an aggregate EIP is <b>held</b> against its frame, while the frame's exchange is still
 * running (the aggregator hands the batch to another thread, and the frame may finish before it is published);</li>
 * <li>when the batch's exchange is done, every post of it that the publisher did not take (a step after the
 * aggregator failed, filtered or dropped it) is <b>failed</b>, so the cursor never waits for it for ever.</li>
 * </ul>
 * Posts that never reach an aggregate EIP (filtered, failed, dropped before it) were never held and need nothing.
 */
public final class DeliveryTracking implements InterceptStrategy {

    private final PostCustody custody;
    private final FailedPosts failures;

    public DeliveryTracking(PostCustody custody, FailedPosts failures) {
        this.custody = custody;
        this.failures = failures;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        if (definition instanceof AggregateDefinition) {
            return new HoldOnBatching(target);
        }
        if (definition.getParent() instanceof AggregateDefinition aggregate && !aggregate.getOutputs().isEmpty()
                && aggregate.getOutputs().get(0) == definition) {
            return new FailUnpublishedOnBatchDone(target);
        }
        return target;
    }

    /** Wraps the aggregate EIP: the incoming post is held before the aggregator can complete a batch with it. */
    private final class HoldOnBatching extends DelegateAsyncProcessor {

        HoldOnBatching(Processor aggregator) {
            super(aggregator);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            PostOrigins origins = exchange.getProperty(PostOrigins.PROPERTY, PostOrigins.class);
            if (origins != null && exchange.getMessage().getBody() instanceof Post post) {
                DeliveryWatermark.Frame frame = origins.frameOf(post);
                if (frame != null) {
                    custody.batched(post, frame);
                }
            }
            return super.process(exchange, callback);
        }
    }

    /** Wraps the first step after the aggregator: when the batch's exchange is done, releases what was not taken. */
    private final class FailUnpublishedOnBatchDone extends DelegateAsyncProcessor {

        FailUnpublishedOnBatchDone(Processor firstStep) {
            super(firstStep);
        }

        @Override
        public boolean process(Exchange batch, AsyncCallback callback) {
            List<Post> posts = PostBodies.of(batch.getMessage().getBody());
            if (!posts.isEmpty()) {
                batch.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange done) {
                        Throwable cause = done.getException() != null ? done.getException()
                                : done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                        for (Post post : posts) {
                            DeliveryWatermark.Frame frame = custody.take(post);
                            if (frame != null) {
                                failures.failed(post, frame, FailureStage.BATCH, cause);
                            }
                        }
                    }
                });
            }
            return super.process(batch, callback);
        }
    }
}
