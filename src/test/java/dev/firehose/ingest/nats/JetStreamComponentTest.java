package dev.firehose.ingest.nats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.config.NatsAuth;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FailedPosts;
import dev.firehose.ingest.delivery.PostCustody;
import dev.firehose.ingest.delivery.PostOrigins;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route's {@code nats:} endpoint as the service binds it, against a real nats-server: a batch of posts becomes
 * one JetStream message per post on {@code <topic>.<language>} with {@code Nats-Msg-Id = uri}, published
 * asynchronously; each PubAck acks the post against its frame (rule D1), a "duplicate" PubAck is counted, and a post
 * the server can never take is failed at stage {@code publish} so the cursor moves on (rule D2). Other bodies go to
 * camel-nats as before.
 */
class JetStreamComponentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void publishesEachPostOfABatchAndAcksItsFrame() throws Exception {
        try (NatsServerProcess server = NatsServerProcess.start(tmp);
             Connection connection = NatsConnector.connect(server.url(), "component-test", NatsAuth.none())) {
            Fixture f = new Fixture(connection);
            try (DefaultCamelContext camel = f.camel()) {
                DeliveryWatermark.Frame frame = f.watermark.frameStarted();
                f.watermark.frameDecoded(frame, 7);
                Post en = post("1", "en-US");
                Post ja = post("2", "ja");
                Post again = post("1", "en"); // same URI: a re-publish, dropped by the stream
                ProducerTemplate producer = camel.createProducerTemplate();
                producer.send(URI, exchange -> {
                    exchange.setPattern(ExchangePattern.InOnly);
                    exchange.getMessage().setBody(List.of(en, ja, again));
                    exchange.setProperty(PostOrigins.PROPERTY, origins(frame, en, ja, again));
                });
                f.watermark.frameFinished(frame);

                await().atMost(Duration.ofSeconds(10)).until(() -> f.watermark.watermark() == 7);
                JetStreamManagement jsm = connection.jetStreamManagement();
                assertThat(jsm.getStreamInfo("posts").getStreamState().getMsgCount()).isEqualTo(2);
                var first = jsm.getMessage("posts", 1);
                assertThat(first.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(en.uri());
                assertThat(first.getSubject()).isEqualTo("posts.en");
                JsonNode json = JSON.readTree(first.getData());
                assertThat(json.get("uri").asText()).isEqualTo(en.uri());
                assertThat(json.get("created_at").asText()).isEqualTo("2025-04-16T21:31:31.667Z");
                assertThat(jsm.getMessage("posts", 2).getSubject()).isEqualTo("posts.ja");
                assertThat(f.metrics.count(IngestMetrics.POSTS_PUBLISHED)).isEqualTo(3);
                assertThat(f.metrics.count(IngestMetrics.PUBLISH_DUPLICATES)).isEqualTo(1);
                assertThat(f.metrics.count(IngestMetrics.POSTS_BY_LANGUAGE, "en")).isEqualTo(2);

                // not a post: camel-nats' own JetStream publish
                producer.sendBodyAndHeader("nats:posts.raw?connection=#natsConnection&jetstreamEnabled=true"
                        + "&jetstreamName=posts", ExchangePattern.InOnly, "{\"raw\":1}", "Nats-Msg-Id", "raw-1");
                assertThat(jsm.getStreamInfo("posts").getStreamState().getMsgCount()).isEqualTo(3);
            }
        }
    }

    /** Rule D2: a message larger than the server's max_payload can never be published: failed, and the cursor moves. */
    @Test
    void aPostTheServerCanNeverTakeIsFailedAndReleasesItsFrame() throws Exception {
        Path config = Files.writeString(tmp.resolve("small.conf"), "max_payload: 2048\n");
        try (NatsServerProcess server = NatsServerProcess.start(tmp.resolve("store"), "-c", config.toString());
             Connection connection = NatsConnector.connect(server.url(), "component-test", NatsAuth.none())) {
            Fixture f = new Fixture(connection);
            try (DefaultCamelContext camel = f.camel()) {
                DeliveryWatermark.Frame frame = f.watermark.frameStarted();
                f.watermark.frameDecoded(frame, 9);
                Post big = new Post("at://did:plc:a/app.bsky.feed.post/3big", "bafybig", "did:plc:a", "3big",
                        "x".repeat(4000), "2025-04-16T21:31:31.667Z", List.of("en"), 9L, "2025-04-16T21:31:33.046Z",
                        null, List.of(), List.of(), List.of(), null, List.of());
                Post small = post("3", "en");
                camel.createProducerTemplate().send(URI, exchange -> {
                    exchange.setPattern(ExchangePattern.InOnly);
                    exchange.getMessage().setBody(List.of(big, small));
                    exchange.setProperty(PostOrigins.PROPERTY, origins(frame, big, small));
                });
                f.watermark.frameFinished(frame);

                await().atMost(Duration.ofSeconds(10)).until(() -> f.watermark.watermark() == 9);
                assertThat(f.metrics.count(IngestMetrics.POSTS_FAILED, "publish")).isEqualTo(1);
                assertThat(f.metrics.count(IngestMetrics.POSTS_PUBLISHED)).isEqualTo(1);
                assertThat(connection.jetStreamManagement().getStreamInfo("posts").getStreamState().getMsgCount())
                        .isEqualTo(1);
            }
        }
    }

    private static final String URI = "nats:posts?connection=#natsConnection&jetstreamEnabled=true&jetstreamName=posts";

    /** What the decode step leaves on the exchange: which frame each post came from. */
    private static PostOrigins origins(DeliveryWatermark.Frame frame, Post... posts) {
        PostOrigins origins = new PostOrigins();
        for (Post post : posts) {
            origins.add(post, frame);
        }
        return origins;
    }

    private static Post post(String rkey, String lang) {
        return new Post("at://did:plc:a/app.bsky.feed.post/" + rkey, "bafy" + rkey, "did:plc:a", rkey,
                "a post of a few words", "2025-04-16T21:31:31.667Z", List.of(lang), 7L, "2025-04-16T21:31:33.046Z",
                null, List.of(), List.of(), List.of(), null, List.of());
    }

    /** What the service wires around the component. */
    private static final class Fixture {
        final Connection connection;
        final IngestMetrics metrics = new IngestMetrics();
        final DeliveryWatermark watermark = new DeliveryWatermark(1_000, 1_000);
        final JetStreamPublisher publisher;
        final JetStreamComponent component;

        Fixture(Connection connection) throws Exception {
            this.connection = connection;
            connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("posts")
                    .subjects("posts.>").storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(1)).build());
            publisher = new JetStreamPublisher(() -> connection, "posts", 100, Duration.ofSeconds(5), metrics,
                    Executors.newSingleThreadScheduledExecutor());
            component = new JetStreamComponent(publisher, new PostMessages(JSON), new PostCustody(watermark),
                    watermark, new FailedPosts(watermark, DeadLetters.NONE, metrics), metrics);
        }

        DefaultCamelContext camel() throws Exception {
            DefaultCamelContext camel = new DefaultCamelContext();
            camel.getRegistry().bind("nats", component);
            camel.getRegistry().bind("natsConnection", connection);
            camel.addService(publisher, true, true);
            camel.start();
            return camel;
        }
    }
}
