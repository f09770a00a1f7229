package dev.firehose.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness follows NATS: the service starts while no NATS server answers (503, with the reason, and the relay
 * is not read), becomes ready and ingests everything once NATS is there, and is not ready again when it goes.
 * Liveness stays 200 throughout: restarting the pod would not bring NATS back.
 */
class ReadinessTest extends ServiceEndToEndSupport {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        nats.stop();
    }

    @Test
    void readyOnlyWhileNatsIsThere() throws Exception {
        HttpResponse<String> before = get("/ready");
        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(json.readTree(before.body()).get("reason").asText()).startsWith("NATS");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(relay.connectionCount()).as("the relay is not read before NATS is set up").isZero();

        nats.restart();
        // A fresh client: the one made before the outage may still be backing off its reconnects.
        client.close();
        client = Nats.connect(natsUrl());
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/ready").statusCode() == 200);
        awaitStoredCursor(corpus.lastSeq());
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));

        nats.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/ready").statusCode() == 503);
        assertThat(json.readTree(get("/ready").body()).get("reason").asText()).isEqualTo("NATS: disconnected");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
