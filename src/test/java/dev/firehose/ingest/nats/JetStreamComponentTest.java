package dev.firehose.ingest.nats;

import dev.firehose.ingest.config.NatsAuth;
import java.nio.file.Path;
import java.time.Duration;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route's nats: endpoints, as the service binds them: a JetStream publish with the message's headers, and a
 * PubAck that says "duplicate" (same Nats-Msg-Id within the window) counted instead of only logged.
 */
class JetStreamComponentTest {

    @TempDir
    Path tmp;

    @Test
    void publishesWithHeadersAndCountsDuplicatePubAcks() throws Exception {
        try (NatsServerProcess server = NatsServerProcess.start(tmp);
             Connection connection = NatsConnector.connect(server.url(), "component-test", NatsAuth.none());
             DefaultCamelContext camel = new DefaultCamelContext()) {
            connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("posts")
                    .subjects("posts.>").storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(1)).build());
            IngestMetrics metrics = new IngestMetrics();
            camel.getRegistry().bind("nats", new JetStreamComponent(metrics));
            camel.getRegistry().bind("natsConnection", connection);
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            String uri = "nats:posts.en?connection=#natsConnection&jetstreamEnabled=true&jetstreamName=posts";
            for (int i = 0; i < 2; i++) {
                producer.sendBodyAndHeader(uri, ExchangePattern.InOnly, "{\"uri\":\"at://a/p/1\"}",
                        "Nats-Msg-Id", "at://a/p/1");
            }
            producer.sendBodyAndHeader(uri, ExchangePattern.InOnly, "{\"uri\":\"at://a/p/2\"}",
                    "Nats-Msg-Id", "at://a/p/2");

            assertThat(connection.jetStreamManagement().getStreamInfo("posts").getStreamState().getMsgCount())
                    .isEqualTo(2);
            var stored = connection.jetStreamManagement().getMessage("posts", 1);
            assertThat(stored.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("at://a/p/1");
            assertThat(stored.getSubject()).isEqualTo("posts.en");
            assertThat(metrics.count(IngestMetrics.PUBLISH_DUPLICATES)).isEqualTo(1);
        }
    }
}
