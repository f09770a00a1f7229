package dev.firehose.ingest.nats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FailedPosts;
import dev.firehose.ingest.delivery.FailureStage;
import dev.firehose.ingest.delivery.PostCustody;
import dev.firehose.ingest.delivery.PostOrigins;
import dev.firehose.ingest.metrics.IngestMetrics;
import io.nats.client.impl.Headers;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.nats.NatsComponent;
import org.apache.camel.component.nats.NatsComponentConfigurer;
import org.apache.camel.component.nats.NatsConfiguration;
import org.apache.camel.component.nats.NatsEndpoint;
import org.apache.camel.component.nats.NatsEndpointConfigurer;
import org.apache.camel.component.nats.NatsProducer;
import org.apache.camel.spi.PropertyConfigurer;

/**
 * camel-nats, whose producers publish posts to JetStream through the {@link JetStreamPublisher}. Bound in the
 * registry as {@code nats}, so the routes keep the ordinary endpoint URI.
 *
 * <p>A body of one {@link Post}, or a batch of them (what the aggregate EIP makes), on an endpoint with
 * {@code jetstreamEnabled=true}: each post becomes one message on {@code <topic>.<language>} with
 * {@code Nats-Msg-Id = <post uri>}, published asynchronously; the producer takes each post out of the batch's custody
 * and the publisher acks it against its frame after the PubAck (rules D1, D2). Any other body goes to camel-nats.
 *
 * <p>Producers start on first use, even while Camel is stopping: a clean stop forces the open batch out after the
 * routes began to stop, and it must still be published.
 */
public class JetStreamComponent extends NatsComponent {

    private final JetStreamPublisher publisher;
    private final PostMessages messages;
    private final PostCustody custody;
    private final DeliveryWatermark watermark;
    private final FailedPosts failures;
    private final IngestMetrics metrics;

    public JetStreamComponent(JetStreamPublisher publisher, PostMessages messages, PostCustody custody,
                              DeliveryWatermark watermark, FailedPosts failures, IngestMetrics metrics) {
        this.publisher = publisher;
        this.messages = messages;
        this.custody = custody;
        this.watermark = watermark;
        this.failures = failures;
        this.metrics = metrics;
    }

    // Camel finds generated configurers by class name; a subclass must point at its parent's.
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new NatsComponentConfigurer();
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new NatsEndpointConfigurer();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        NatsConfiguration config = new NatsConfiguration();
        if (getHeaderFilterStrategy() != null) {
            config.setHeaderFilterStrategy(getHeaderFilterStrategy());
        }
        config.setTopic(remaining);
        config.setServers(getServers());
        config.setVerbose(isVerbose());
        if (config.getSslContextParameters() == null) {
            config.setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        NatsEndpoint endpoint = new NatsEndpoint(uri, this, config) {
            @Override
            public Producer createProducer() {
                return new PostProducer(this);
            }
        };
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** Posts to the publisher; everything else to camel-nats. */
    final class PostProducer extends NatsProducer {

        PostProducer(NatsEndpoint endpoint) {
            super(endpoint);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            if (!isStarted()) {
                try {
                    start();
                } catch (RuntimeException e) {
                    exchange.setException(e);
                    callback.done(true);
                    return true;
                }
            }
            NatsConfiguration config = getEndpoint().getConfiguration();
            List<Post> posts = posts(exchange.getMessage().getBody());
            if (posts.isEmpty() || !config.isJetstreamEnabled() || exchange.getPattern().isOutCapable()) {
                return super.process(exchange, callback);
            }
            PostOrigins origins = exchange.getProperty(PostOrigins.PROPERTY, PostOrigins.class);
            try {
                for (Post post : posts) {
                    publish(config.getTopic(), post, heldFrame(post, origins));
                }
                metrics.recordBatchSize(posts.size());
            } catch (InterruptedException e) {
                // Stopping while the window is full: what was not sent stays held, so the cursor stays before it.
                Thread.currentThread().interrupt();
                exchange.setException(e);
            }
            callback.done(true);
            return true;
        }

        /**
         * The frame {@code post} holds back: from the batch's custody, or, for a post that comes straight from its
         * frame's exchange (a route without an aggregate EIP), held here while that exchange still runs.
         */
        private DeliveryWatermark.Frame heldFrame(Post post, PostOrigins origins) {
            DeliveryWatermark.Frame frame = custody.take(post);
            if (frame == null && origins != null) {
                DeliveryWatermark.Frame origin = origins.frameOf(post);
                if (origin != null && watermark.postHeld(origin)) {
                    frame = origin;
                }
            }
            return frame;
        }

        private void publish(String topic, Post post, DeliveryWatermark.Frame frame) throws InterruptedException {
            byte[] payload;
            Headers headers;
            try {
                payload = messages.payload(post);
                headers = PostMessages.headers(post);
            } catch (IllegalArgumentException e) {
                failures.failed(post, frame, FailureStage.PUBLISH, e);
                return;
            }
            long started = System.nanoTime();
            publisher.publish(PostMessages.subject(topic, post), headers, payload, new JetStreamPublisher.Outcome() {
                @Override
                public void acked(boolean duplicate) {
                    metrics.postPublished(post.subjectLanguage(), duplicate, System.nanoTime() - started);
                    if (frame != null) {
                        watermark.postAcked(frame);
                    }
                }

                @Override
                public void failed(Throwable permanent) {
                    failures.failed(post, frame, FailureStage.PUBLISH, permanent);
                }
            });
        }
    }

    private static List<Post> posts(Object body) {
        if (body instanceof Post post) {
            return List.of(post);
        }
        if (!(body instanceof Collection<?> items) || items.isEmpty()) {
            return List.of();
        }
        List<Post> posts = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof Post post)) {
                return List.of(); // not a batch of posts: camel-nats' business
            }
            posts.add(post);
        }
        return posts;
    }
}
