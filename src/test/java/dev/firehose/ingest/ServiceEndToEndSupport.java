package dev.firehose.ingest;

import dev.firehose.ingest.metrics.IngestMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.FreePorts;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.RelayFrame;
import dev.firehose.ingest.testsupport.TestRelay;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the whole service as camel-main does (application.properties, IngestConfiguration, routes/*.yaml) against
 * a real nats-server with JetStream and a real websocket relay replaying binary frames built from the real
 * fixture records; asserts on what the stream and the KV bucket hold.
 */
abstract class ServiceEndToEndSupport extends CamelMainTestSupport {

    protected static final String STREAM = "e2e-posts";
    protected static final String SUBJECT = "e2e.posts";
    protected static final String BUCKET = "e2e-state";
    protected static final String KEY = "nats-firehose-ingest";
    protected static final int FRAMES = 3_000;
    protected static final long FIRST_SEQ = 5_000_000;

    private final ObjectMapper json = new ObjectMapper();
    protected NatsServerProcess nats;
    protected TestRelay relay;
    protected Corpus corpus;
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
        corpus = buildCorpus();
        relay = TestRelay.start(firstFrames());
        client = Nats.connect(natsUrl());
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(serviceProperties());
    }

    /** The NATS server the service publishes to. */
    protected NatsServerProcess startNats() throws Exception {
        return NatsServerProcess.start(Files.createTempDirectory("e2e-nats"));
    }

    /** The URL the service and the test's own client connect with. */
    protected String natsUrl() {
        return nats.url();
    }

    /** The frames the relay has, and the posts they create. */
    protected Corpus buildCorpus() {
        return FrameCorpus.synthetic(FRAMES, FIRST_SEQ, 7);
    }

    /** What the first instance gets to see; the test methods decide. */
    protected List<RelayFrame> firstFrames() {
        return corpus.frames();
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
        if (relay != null) {
            relay.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    protected Properties serviceProperties() {
        Properties p = new Properties();
        p.setProperty("firehose.url", relay.url());
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

    /** Another instance of the service, as after a restart of the process. */
    protected CamelContext startService() throws Exception {
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(serviceProperties());
        CamelContext started = createCamelContext();
        started.start();
        return started;
    }

    protected void awaitStoredCursor(long seq) {
        // ignoreExceptions: the test's own client may be reconnecting (tests that stop NATS).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> storedCursor() == seq);
    }

    protected long storedCursor() throws Exception {
        if (!client.keyValueManagement().getBucketNames().contains(BUCKET)) {
            return -1;
        }
        KeyValue kv = client.keyValue(BUCKET);
        KeyValueEntry entry = kv.get(KEY);
        return entry == null ? -1 : Long.parseLong(new String(entry.getValue(), StandardCharsets.US_ASCII));
    }

    /** The oracle: the posts the corpus created, through the default length rule (10..1000 code points). */
    protected static List<ExpectedPost> expectedPosts(List<ExpectedPost> created) {
        return ExpectedPosts.acceptedByDefaultFilter(created);
    }

    protected void assertStreamHoldsExactly(List<ExpectedPost> expected) throws Exception {
        try {
            checkStreamHoldsExactly(expected);
        } catch (AssertionError e) {
            // What the service saw, to tell a lost frame from a lost publish.
            Object metrics = context.getRegistry().lookupByName("ingestMetrics");
            throw new AssertionError(e.getMessage() + "\nservice counters: "
                    + (metrics == null ? "-" : ((dev.firehose.ingest.metrics.IngestMetrics) metrics).snapshot())
                    + "\nrelay: cursors " + relay.requestedCursors() + ", frames sent " + relay.framesSent()
                    + ", connections " + relay.connectionCount(), e);
        }
    }

    /**
     * Over one relay connection, every frame the relay sent was taken by the service, decoded or counted as
     * malformed: a frame lost in transport would be invisible to the cursor (it only knows the frames it saw).
     */
    private void checkEveryFrameSentWasTaken() {
        Object found = context.getRegistry().lookupByName("ingestMetrics");
        if (relay.connectionCount() != 1 || !(found instanceof dev.firehose.ingest.metrics.IngestMetrics metrics)) {
            return;
        }
        long taken = metrics.total(dev.firehose.ingest.metrics.IngestMetrics.FRAMES)
                + metrics.total(dev.firehose.ingest.metrics.IngestMetrics.MALFORMED_FRAMES)
                + metrics.total(dev.firehose.ingest.metrics.IngestMetrics.FRAMES_REPLAYED);
        long sent = relay.framesSent() + relay.outdatedCursorInfosSent() + relay.futureCursorErrorsSent();
        assertThat(taken).as("frames taken by the service = frames the relay sent").isEqualTo(sent);
    }

    /** Every message in the stream, by post URI (each URI at most once), with its subject under "_subject". */
    protected Map<String, JsonNode> streamMessages() throws Exception {
        JetStreamManagement jsm = client.jetStreamManagement();
        long count = jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
        Map<String, JsonNode> byUri = new HashMap<>();
        for (long seq = 1; seq <= count; seq++) {
            MessageInfo message = jsm.getMessage(STREAM, seq);
            com.fasterxml.jackson.databind.node.ObjectNode post =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(message.getData());
            String uri = post.get("uri").asText();
            assertThat(message.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(uri);
            post.put("_subject", message.getSubject());
            assertThat(byUri.put(uri, post)).as("post %s published twice", uri).isNull();
        }
        assertThat(byUri).hasSize((int) count);
        return byUri;
    }

    private void checkStreamHoldsExactly(List<ExpectedPost> expected) throws Exception {
        checkEveryFrameSentWasTaken();
        assertThat(expected).isNotEmpty();
        Map<String, JsonNode> byUri = streamMessages();
        long count = byUri.size();
        assertThat(byUri.keySet()).containsExactlyInAnyOrderElementsOf(
                expected.stream().map(ExpectedPost::uri).toList());
        assertThat(count).isEqualTo(expected.size());
        for (ExpectedPost want : expected) {
            JsonNode got = byUri.get(want.uri());
            assertThat(got.get("cid").asText()).isEqualTo(want.cid());
            assertThat(got.get("author").asText()).isEqualTo(want.author());
            assertThat(got.get("rkey").asText()).isEqualTo(want.rkey());
            assertThat(got.get("text").asText()).isEqualTo(want.text());
            assertThat(got.get("created_at").asText()).isEqualTo(want.createdAt());
            assertThat(got.get("seq").asLong()).isEqualTo(want.seq());
            List<String> langs = new ArrayList<>();
            got.get("langs").forEach(l -> langs.add(l.asText()));
            assertThat(langs).isEqualTo(want.langs());
            assertThat(got.get("_subject").asText()).isEqualTo(SUBJECT + "." + subjectLanguage(want.langs()));
        }
    }

    private static String subjectLanguage(List<String> langs) {
        if (langs.isEmpty()) {
            return "und";
        }
        String primary = langs.get(0).split("[-_]")[0].toLowerCase(Locale.ROOT);
        return primary.matches("[a-z]{2,3}") ? primary : "und";
    }
}
