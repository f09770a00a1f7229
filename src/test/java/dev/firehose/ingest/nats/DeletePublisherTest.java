package dev.firehose.ingest.nats;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.atproto.PostDelete;
import dev.firehose.ingest.config.NatsAuth;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12, rule D1 for deletes, against a real nats-server: a post delete is held against its frame until its
 * PubAck, so while the server is frozen (SIGSTOP) the frame is finished but its position is not the cursor; once the
 * server answers, it is. The stream (made by {@link JetStreamProvisioner} with the delete subject) holds the delete on
 * that subject only, with {@code Nats-Msg-Id = delete:<uri>}.
 */
class DeletePublisherTest {

    private static final String REPO = "did:plc:deletepublishertest0000000";

    @TempDir
    Path tmp;

    private NatsServerProcess server;
    private Connection connection;
    private final IngestMetrics metrics = new IngestMetrics();
    private final DeliveryWatermark watermark = new DeliveryWatermark(10, 10);
    private JetStreamPublisher publisher;
    private DeletePublisher deletes;

    @BeforeEach
    void startServer() throws Exception {
        server = NatsServerProcess.start(tmp);
        connection = NatsConnector.connect(server.url(), "delete-test", NatsAuth.none());
        new JetStreamProvisioner(connection).ensureStream(new JetStreamProvisioner.StreamSpec("posts", "posts",
                Duration.ofDays(1), -1, 1, Duration.ofMinutes(1), "deletes"));
    }

    @AfterEach
    void stop() throws Exception {
        if (publisher != null) {
            publisher.stop();
        }
        connection.close();
        server.close();
    }

    private void startPublisher(int window) {
        publisher = new JetStreamPublisher(() -> connection, "posts", window, Duration.ofSeconds(5), metrics,
                Executors.newSingleThreadScheduledExecutor());
        publisher.start();
        deletes = new DeletePublisher(publisher, watermark, "deletes", new ObjectMapper(), metrics);
    }

    @Test
    void aDeleteHoldsItsFrameUntilItsPubAck() throws Exception {
        startPublisher(10);
        PostDelete delete = PostDelete.of(REPO, "3lgone", 10L, "2025-04-16T21:31:33.046Z");
        DeliveryWatermark.Frame frame = watermark.frameStarted();
        watermark.frameDecoded(frame, 10);
        server.pause();
        try {
            deletes.deleted(delete, frame);
            watermark.frameFinished(frame);
            assertThat(watermark.heldPosts()).isEqualTo(1);
            assertThat(watermark.watermark()).as("no PubAck can come while the server is frozen")
                    .isEqualTo(DeliveryWatermark.NONE);
        } finally {
            server.resume();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> watermark.watermark() == 10);
        assertThat(watermark.heldPosts()).isZero();
        assertThat(metrics.count(IngestMetrics.DELETES_PUBLISHED)).isPositive();

        JetStreamManagement jsm = connection.jetStreamManagement();
        assertThat(jsm.getStreamInfo("posts").getConfiguration().getSubjects())
                .containsExactlyInAnyOrder("posts.>", "deletes");
        assertThat(jsm.getStreamInfo("posts").getStreamState().getMsgCount()).isEqualTo(1);
        MessageInfo stored = jsm.getMessage("posts", 1);
        assertThat(stored.getSubject()).isEqualTo("deletes");
        assertThat(stored.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("delete:" + delete.uri());
        JsonNode json = new ObjectMapper().readTree(stored.getData());
        assertThat(json.get("uri").asText()).isEqualTo("at://" + REPO + "/app.bsky.feed.post/3lgone");
        assertThat(json.get("deleted_at").asText()).isEqualTo("2025-04-16T21:31:33.046Z");
    }

    /**
     * Rule D5: deletes leave from the event loop, which must never wait for the publish window. With a window of one
     * and the server frozen, five deletes are all sent at once (held, not blocked), and all are acked after SIGCONT.
     */
    @Test
    void deletesNeverWaitForThePublishWindow() throws Exception {
        startPublisher(1);
        server.pause();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (long seq = 1; seq <= 5; seq++) {
                    DeliveryWatermark.Frame frame = watermark.frameStarted();
                    watermark.frameDecoded(frame, seq);
                    deletes.deleted(PostDelete.of(REPO, "3lgone" + seq, seq, "2025-04-16T21:31:33.046Z"), frame);
                    watermark.frameFinished(frame);
                }
            });
            assertThat(watermark.heldPosts()).isEqualTo(5);
            assertThat(publisher.inFlight()).isEqualTo(5);
        } finally {
            server.resume();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> watermark.watermark() == 5);
        assertThat(publisher.inFlight()).isZero();
        assertThat(metrics.count(IngestMetrics.DELETES_PUBLISHED)).isEqualTo(5);
        assertThat(connection.jetStreamManagement().getStreamInfo("posts").getStreamState().getMsgCount())
                .isEqualTo(5);
    }
}
