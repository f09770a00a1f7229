package dev.firehose.ingest.nats;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.firehose.ingest.metrics.IngestMetrics;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

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
 * camel-nats, with producers that are started when first used even while Camel is stopping. Bound in the registry
 * as {@code nats}, so the routes keep the ordinary endpoint URI.
 *
 * <p>The route publishes with {@code toD} to one subject per language, so a producer is created the first time a
 * language is published. Camel starts a producer created while the context is stopping only on a later start
 * (never): when a clean stop forces the open batch out and it holds the first post in some language, the
 * never-started NatsProducer fails with a NullPointerException, the error handler retries it until the shutdown
 * timeout (10 s), and the batch is not published. Starting it on first use lets the stop publish the batch.
 */
public class JetStreamComponent extends NatsComponent {

    private final IngestMetrics metrics;

    public JetStreamComponent(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    // As for the websocket component: generated configurers are found by class name; use the parent's.
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
                return new SelfStartingProducer(this);
            }
        };
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * Publishes to JetStream itself when the endpoint has a shared connection and JetStream enabled, to see the
     * PubAck: camel-nats only logs it, and its {@code duplicate} flag is how an operator sees posts re-published
     * after a crash and dropped by the stream's duplicate window. Everything else goes to camel-nats.
     */
    final class SelfStartingProducer extends NatsProducer {

        private JetStream jetStream;

        SelfStartingProducer(NatsEndpoint endpoint) {
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
            if (!config.isJetstreamEnabled() || config.getConnection() == null || exchange.getPattern().isOutCapable()) {
                return super.process(exchange, callback);
            }
            try {
                if (jetStream == null) {
                    jetStream = config.getConnection().jetStream();
                }
                PublishAck ack = jetStream.publish(message(exchange, config),
                        PublishOptions.builder().expectedStream(config.getJetstreamName()).build());
                if (ack.isDuplicate()) {
                    metrics.increment(IngestMetrics.PUBLISH_DUPLICATES);
                }
            } catch (Exception e) {
                exchange.setException(e);
            }
            callback.done(true);
            return true;
        }

        private Message message(Exchange exchange, NatsConfiguration config) throws Exception {
            Headers headers = new Headers();
            exchange.getIn().getHeaders().forEach((name, value) -> {
                if (value != null) {
                    headers.add(name, String.valueOf(value));
                }
            });
            byte[] body = exchange.getIn().getBody(byte[].class);
            if (body == null) {
                body = exchange.getIn().getMandatoryBody(String.class).getBytes(StandardCharsets.UTF_8);
            }
            return NatsMessage.builder().subject(config.getTopic()).headers(headers).data(body).build();
        }
    }
}
