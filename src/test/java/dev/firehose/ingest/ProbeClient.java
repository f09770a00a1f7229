package dev.firehose.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** GETs on the service's HTTP port: the probes' paths and Camel's own health endpoints. */
final class ProbeClient {

    /** Camel's liveness and readiness endpoints, under camel.management.health-path. */
    static final String CAMEL_LIVE = "/observe/health/live";
    static final String CAMEL_READY = "/observe/health/ready";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final IntSupplier port;

    ProbeClient(IntSupplier port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    int status(String path) throws IOException, InterruptedException {
        return get(path).statusCode();
    }

    JsonNode json(String path) throws IOException, InterruptedException {
        return json.readTree(get(path).body());
    }

    /** The reason {@code /ready} gives, or null when ready. */
    String notReadyReason() throws IOException, InterruptedException {
        JsonNode reason = json("/ready").get("reason");
        return reason == null ? null : reason.asText();
    }

    /** Names of the checks a Camel health endpoint lists as DOWN (its default exposure lists only those). */
    List<String> downChecks(String camelPath) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        json(camelPath).path("checks").forEach(check -> {
            if ("DOWN".equals(check.path("status").asText())) {
                names.add(check.path("name").asText());
            }
        });
        return names;
    }
}
