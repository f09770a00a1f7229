package dev.firehose.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.LogCapture;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees, checked against what was sent: /metrics during and after a replay (frames, posts
 * accepted, filtered, malformed, Camel route metrics), /ready, /health/detailed with the cursor, the lag and the
 * health checks, and it and Camel's own health endpoint without the NATS password that NATS_URL carries, and log
 * lines that are all JSON.
 */
class MetricsAndHealthTest extends ServiceEndToEndSupport {

    private static final String PASSWORD = "s3cr3t-pw-4417";
    private static final int TRUNCATED = 3;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private int goodFrames;
    private LogCapture logs;

    @Override
    protected void setupResources() throws Exception {
        logs = LogCapture.start();
        super.setupResources();
    }

    @Override
    protected void cleanupResources() throws Exception {
        super.cleanupResources();
        logs.close();
    }

    @Override
    protected NatsServerProcess startNats() throws Exception {
        return NatsServerProcess.start(Files.createTempDirectory("e2e-nats"), "--user", "ingest", "--pass", PASSWORD);
    }

    @Override
    protected String natsUrl() {
        return nats.url().replace("nats://", "nats://ingest:" + PASSWORD + "@");
    }

    @Override
    protected Corpus buildCorpus() {
        Corpus good = FrameCorpus.synthetic(FRAMES, FIRST_SEQ, 5);
        goodFrames = good.frames().size();
        // Three frames cut in half (bad CBOR) among the good ones; each carries a seq the relay filters on.
        List<RelayFrame> frames = new ArrayList<>(good.frames());
        for (int i = 1; i <= TRUNCATED; i++) {
            RelayFrame victim = frames.get(i * 700);
            frames.set(i * 700, new RelayFrame(victim.seq(),
                    Arrays.copyOf(victim.bytes(), victim.bytes().length / 2)));
        }
        List<Long> cut = List.of(frames.get(700).seq(), frames.get(1400).seq(), frames.get(2100).seq());
        return new Corpus(frames, good.posts().stream().filter(p -> !cut.contains(p.seq())).toList(), good.lastSeq());
    }

    @Test
    void metricsMatchWhatWasSentAndHealthShowsNoSecret() throws Exception {
        relay.setRate(1_500);
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("nats_firehose_operations_total") > 100);
        String during = get("/metrics").body();
        assertThat(during).contains("camel_exchanges_total{", "routeId=\"firehose-ingest\"");
        assertThat(metric("nats_firehose_operations_total")).isLessThan(goodFrames);

        awaitStoredCursor(corpus.lastSeq());
        List<?> accepted = ExpectedPosts.acceptedByDefaultFilter(corpus.posts());
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));

        assertThat(metric("nats_firehose_operations_total")).isEqualTo(goodFrames - TRUNCATED);
        assertThat(metric("firehose_malformed_frames_total{reason=\"INVALID_CBOR\"}")).isEqualTo(TRUNCATED);
        assertThat(metric("nats_firehose_posts_published_total")).isEqualTo(accepted.size());
        assertThat(metric("firehose_posts_seen_total")).isEqualTo(corpus.posts().size());
        assertThat(sum("firehose_posts_filtered_total")).isEqualTo(corpus.posts().size() - accepted.size());
        assertThat(sum("firehose_posts_published_by_language_total")).isEqualTo(accepted.size());
        assertThat(metric("nats_firehose_publish_errors_total")).isZero();
        assertThat(metric("firehose_publish_duplicates_total")).isZero();
        assertThat(metric("nats_connected")).isEqualTo(1);
        assertThat(metric("firehose_cursor")).isEqualTo(corpus.lastSeq());
        assertThat(get("/metrics").body()).contains("firehose_cursor_lag_seconds", "firehose_batch_size_count",
                "firehose_publish_seconds_count", "firehose_messages_per_second", "camel_exchanges_failed_total",
                "camel_exchanges_inflight{");

        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json.readTree(ready.body()).get("ready").asBoolean()).isTrue();

        HttpResponse<String> detailed = get("/health/detailed");
        assertThat(detailed.statusCode()).isEqualTo(200);
        JsonNode report = json.readTree(detailed.body());
        assertThat(report.at("/pipeline/cursor").asLong()).isEqualTo(corpus.lastSeq());
        assertThat(report.at("/pipeline/stored_cursor").asLong()).isEqualTo(corpus.lastSeq());
        assertThat(report.at("/pipeline/lag_seconds").isNumber()).isTrue();
        assertThat(report.at("/relay/state").asText()).isEqualTo("CONNECTED");
        assertThat(report.at("/nats/state").asText()).isEqualTo("CONNECTED");
        assertThat(report.at("/pipeline/routes/firehose-ingest").asText()).isEqualTo("Started");
        List<String> checks = new ArrayList<>();
        report.path("checks").forEach(check -> {
            checks.add(check.get("name").asText());
            assertThat(check.get("status").asText()).as(check.toString()).isEqualTo("UP");
        });
        assertThat(checks).contains("context", "nats", "relay", "pipeline", "route:firehose-ingest");
        assertThat(detailed.body()).doesNotContain(PASSWORD);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        // Camel's own endpoint, everything it can tell: the checks' details name the NATS server, never its password
        HttpResponse<String> camel = get("/observe/health?exposureLevel=full&data=true");
        assertThat(camel.statusCode()).isEqualTo(200);
        assertThat(camel.body()).contains("\"nats.server\"").doesNotContain(PASSWORD);

        // LOG_FORMAT is unset here, so json: every line the service wrote is one JSON object, none has the password.
        List<String> lines = logs.lines();
        assertThat(lines).hasSizeGreaterThan(10);
        for (String line : lines) {
            JsonNode entry = json.readTree(line);
            assertThat(entry.has("timestamp") && entry.has("level") && entry.has("logger") && entry.has("message"))
                    .as(line).isTrue();
            assertThat(line).doesNotContain(PASSWORD);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one Prometheus sample line, {@code name} or {@code name{labels}} as written. */
    private double metric(String sample) throws Exception {
        String body = get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$")
                .matcher(body);
        if (!m.find()) {
            return sample.contains("{") ? 0 : Double.NaN;
        }
        return Double.parseDouble(m.group(1));
    }

    private double sum(String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*\\} ([0-9.eE+-]+)$")
                .matcher(get("/metrics").body());
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
