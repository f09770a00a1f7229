package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.ExpectedDelete;
import dev.firehose.ingest.testsupport.FreePorts;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the whole service as camel-main does (application.properties, IngestConfiguration, the routes) against a real
 * nats-server with JetStream and a real websocket source on 127.0.0.1 (the subclass': a relay or a Jetstream), and
 * reads what the stream and the KV bucket hold. The source-specific halves: {@link ServiceEndToEndSupport} (relay),
 * {@link JetstreamEndToEndSupport}.
 */
abstract class IngestServiceSupport extends CamelMainTestSupport {

    protected static final String STREAM = "e2e-posts";
    protected static final String SUBJECT = "e2e.posts";
    protected static final String BUCKET = "e2e-state";
    /** SERVICE_NAME's default: the relay's cursor key; Jetstream's is this plus {@code .jetstream}. */
    protected static final String KEY = "nats-firehose-ingest";
    /** NATS_DELETE_SUBJECT of the tests that publish deletes. */
    protected static final String DELETE_SUBJECT = "e2e.deletes";

    private final ObjectMapper json = new ObjectMapper();
    protected NatsServerProcess nats;
    protected Connection client;
    /** The port of /health, /ready, /health/detailed and /metrics of the service last started. */
    protected int healthPort;

    @Override
    protected Class<?> getMainClass() {
        return Application.class;
    }

    @Override
    protected void setupResources() throws Exception {
        nats = startNats();
        startSource();
        client = Nats.connect(natsUrl());
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(serviceProperties());
    }

    /** Starts the websocket source the service reads (after NATS, before the service). */
    protected abstract void startSource() throws Exception;

    protected abstract void stopSource() throws Exception;

    /** The NATS server the service publishes to. */
    protected NatsServerProcess startNats() throws Exception {
        return NatsServerProcess.start(Files.createTempDirectory("e2e-nats"));
    }

    /** The URL the service and the test's own client connect with. */
    protected String natsUrl() {
        return nats.url();
    }

    @Override
    protected void cleanupResources() throws Exception {
        // CamelTestSupport stops the context after this method; the service must stop while NATS is still up.
        if (context != null) {
            context.stop();
        }
        if (client != null) {
            client.close();
        }
        stopSource();
        if (nats != null) {
            nats.close();
        }
    }

    /** The settings every end-to-end run shares; the subclass adds its source's. */
    protected Properties serviceProperties() {
        Properties p = new Properties();
        p.setProperty("nats.url", natsUrl());
        p.setProperty("nats.stream", STREAM);
        p.setProperty("nats.subject", SUBJECT);
        p.setProperty("nats.kv-bucket", BUCKET);
        p.setProperty("batch.size", "50");
        p.setProperty("batch.timeout", "300");
        p.setProperty("cursor.save-interval", "100");
        // The synthetic corpora reuse real records under a small pool of authors, so a long one repeats an
        // author's text: delivery tests use the length rule only (ExpectedPosts.acceptedByDefaultFilter).
        p.setProperty("filter.duplicate-window", "0");
        p.setProperty("health.host", "127.0.0.1");
        healthPort = FreePorts.next();
        p.setProperty("health.port", Integer.toString(healthPort));
        return p;
    }

    /** {@code PUBLISH_DELETES=true}, to {@link #DELETE_SUBJECT}. */
    protected static Properties publishingDeletes(Properties p) {
        p.setProperty("nats.publish-deletes", "true");
        p.setProperty("nats.delete-subject", DELETE_SUBJECT);
        return p;
    }

    /** Batches that only a stop completes (not their timeout): a restart test's first instance. */
    protected static Properties batchesOpenUntilStop(Properties p) {
        p.setProperty("batch.timeout", "60000");
        return p;
    }

    /**
     * Once the frame at {@code position} is decoded, with a batch still open, stops the service: its clean stop
     * publishes the batch and stores {@code position} under {@code key}.
     */
    protected void stopWithABatchOpenAt(long position, String key) throws Exception {
        DeliveryWatermark watermark = context.getRegistry()
                .lookupByNameAndType("deliveryWatermark", DeliveryWatermark.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> watermark.lastDecoded() == position);
        assertThat(watermark.heldPosts()).as("a batch is still open when the service stops").isPositive();
        context.stop();
        assertThat(storedCursor(key)).isEqualTo(position);
    }

    /** Another instance of the service, as after a restart of the process. */
    protected CamelContext startService() throws Exception {
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(serviceProperties());
        CamelContext started = createCamelContext();
        started.start();
        return started;
    }

    protected void awaitStoredCursor(String key, long position) {
        // ignoreExceptions: the test's own client may be reconnecting (tests that stop NATS).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> storedCursor(key) == position);
    }

    /** The cursor under {@code key}, -1 when there is none. */
    protected long storedCursor(String key) throws Exception {
        if (!client.keyValueManagement().getBucketNames().contains(BUCKET)) {
            return -1;
        }
        KeyValue kv = client.keyValue(BUCKET);
        KeyValueEntry entry = kv.get(key);
        return entry == null ? -1 : Long.parseLong(new String(entry.getValue(), StandardCharsets.US_ASCII));
    }

    /** A core subscription to {@code <SUBJECT>.>}, as a posts-only consumer has; made before the service starts. */
    protected Subscription subscribeToPosts() throws Exception {
        Subscription posts = client.subscribe(SUBJECT + ".>");
        client.flush(Duration.ofSeconds(5));
        return posts;
    }

    /** What a posts-only subscriber got (bounded waits): posts, and not one delete. */
    protected void assertOnlyPostsReceived(Subscription posts) throws Exception {
        int received = 0;
        for (Message m = posts.nextMessage(Duration.ofSeconds(2)); m != null;
             m = posts.nextMessage(Duration.ofMillis(300))) {
            assertThat(m.getHeaders().getFirst("Nats-Msg-Id")).doesNotStartWith("delete:");
            assertThat(json.readTree(m.getData()).has("deleted_at")).as("a delete on %s", m.getSubject()).isFalse();
            received++;
        }
        assertThat(received).as("posts received on " + SUBJECT + ".>").isPositive();
    }

    /**
     * The stream holds exactly {@code expected} deletes, on {@link #DELETE_SUBJECT}, each
     * {@code {uri, author, seq, time, deleted_at}} with {@code Nats-Msg-Id = delete:<uri>}, each counted as published,
     * and the stream takes that subject besides the posts'.
     */
    protected void assertDeletesExactly(List<ExpectedDelete> expected) throws Exception {
        assertThat(expected).isNotEmpty();
        assertThat(metrics(context).count(IngestMetrics.DELETES_PUBLISHED)).isEqualTo(expected.size());
        assertThat(metrics(context).count(IngestMetrics.DELETES_FAILED)).isZero();
        Map<String, JsonNode> deletes = streamDeletes();
        assertThat(deletes.keySet()).containsExactlyInAnyOrderElementsOf(
                expected.stream().map(ExpectedDelete::uri).toList());
        for (ExpectedDelete want : expected) {
            JsonNode got = deletes.get(want.uri());
            List<String> fields = new ArrayList<>();
            got.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("uri", "author", "seq", "time", "deleted_at", "_subject");
            assertThat(got.get("author").asText()).isEqualTo(want.author());
            if (want.seq() == null) {
                assertThat(got.get("seq").isNull()).isTrue();
            } else {
                assertThat(got.get("seq").asLong()).isEqualTo(want.seq());
            }
            assertThat(got.get("time").asText()).isEqualTo(want.time());
            assertThat(got.get("deleted_at").asText()).isEqualTo(want.time());
        }
        assertThat(client.jetStreamManagement().getStreamInfo(STREAM).getConfiguration().getSubjects())
                .containsExactlyInAnyOrder(SUBJECT + ".>", DELETE_SUBJECT);
    }

    /** The counters of the service {@code camel} runs. */
    protected static IngestMetrics metrics(CamelContext camel) {
        return camel.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
    }

    /** Every post in the stream, by post URI (each URI at most once), with its subject under "_subject". */
    protected Map<String, JsonNode> streamMessages() throws Exception {
        return streamMessages(SUBJECT + ".", "");
    }

    /** Every delete in the stream, by post URI (each at most once, Nats-Msg-Id {@code delete:<uri>}). */
    protected Map<String, JsonNode> streamDeletes() throws Exception {
        return streamMessages(DELETE_SUBJECT, "delete:");
    }

    /**
     * The stream's messages on subjects starting with {@code subjectPrefix}, by their {@code uri} (each at most
     * once, its Nats-Msg-Id {@code msgIdPrefix + uri}), with the subject under "_subject". Every message of the stream
     * is a post (on {@code SUBJECT.*}) or a delete (on {@link #DELETE_SUBJECT}).
     */
    private Map<String, JsonNode> streamMessages(String subjectPrefix, String msgIdPrefix) throws Exception {
        JetStreamManagement jsm = client.jetStreamManagement();
        long last = jsm.getStreamInfo(STREAM).getStreamState().getLastSequence();
        Map<String, JsonNode> byUri = new HashMap<>();
        for (long seq = 1; seq <= last; seq++) {
            MessageInfo message = jsm.getMessage(STREAM, seq);
            assertThat(message.getSubject().startsWith(SUBJECT + ".") || message.getSubject().equals(DELETE_SUBJECT))
                    .as("stream message %d on %s", seq, message.getSubject()).isTrue();
            if (!message.getSubject().startsWith(subjectPrefix)) {
                continue;
            }
            ObjectNode item = (ObjectNode) json.readTree(message.getData());
            String uri = item.get("uri").asText();
            assertThat(message.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(msgIdPrefix + uri);
            item.put("_subject", message.getSubject());
            assertThat(byUri.put(uri, item)).as("%s published twice", uri).isNull();
        }
        return byUri;
    }
}
