package dev.firehose.ingest.observe;

import dev.firehose.ingest.metrics.IngestMetrics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;

/**
 * The answers of the probes and of the operator's report, platform-http routes in {@code routes/health.yaml}:
 * {@code GET /health} (liveness), {@code GET /ready} (readiness, 503 with a JSON reason whenever the service cannot
 * do its job, so Kubernetes stops routing to it) and {@code GET /health/detailed}. The first two are
 * {@link HealthProbes}, i.e. Camel's health-check registry as Camel's own endpoints read it; the report never shows
 * a secret.
 */
public final class HealthEndpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IngestStatus status;
    private final CamelContext camel;
    private final HealthProbes probes;
    private final String version;

    public HealthEndpoints(IngestStatus status, CamelContext camel) {
        this.status = status;
        this.camel = camel;
        this.probes = new HealthProbes(camel);
        String implementation = HealthEndpoints.class.getPackage().getImplementationVersion();
        this.version = implementation == null ? "dev" : implementation;
    }

    /** 200 {"status":"UP"}, or 503 {"status":"DOWN","checks":[...]}: the shape of Camel's own health endpoint. */
    public Processor liveness() {
        return exchange -> {
            HealthProbes.Outcome live = probes.liveness();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", live.up() ? "UP" : "DOWN");
            if (!live.up()) {
                body.put("checks", live.failing().stream().map(HealthEndpoints::check).toList());
            }
            reply(exchange, live.up() ? 200 : 503, body);
        };
    }

    /** 200 {"ready":true}, or 503 {"ready":false,"reason":...}. */
    public Processor readiness() {
        return exchange -> {
            HealthProbes.Outcome ready = probes.readiness();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ready", ready.up());
            if (!ready.up()) {
                body.put("reason", ready.reason());
            }
            reply(exchange, ready.up() ? 200 : 503, body);
        };
    }

    public Processor detailed() {
        return exchange -> {
            HealthProbes.Outcome live = probes.liveness();
            HealthProbes.Outcome ready = probes.readiness();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", live.up() ? "UP" : "DOWN");
            body.put("ready", ready.up());
            if (!ready.up()) {
                body.put("reason", ready.reason());
            }
            body.put("version", version);
            body.put("relay", relay());
            body.put("nats", nats());
            body.put("pipeline", pipeline());
            body.put("checks", probes.all().stream().map(HealthEndpoints::check).toList());
            reply(exchange, live.up() ? 200 : 503, body);
        };
    }

    /** One check's result as Camel's endpoint shows it (name, status, message), and which probes it counts in. */
    private static Map<String, Object> check(HealthCheck.Result result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", result.getCheck().getId());
        out.put("status", result.getState().name());
        out.put("liveness", result.getCheck().isLiveness());
        out.put("readiness", result.getCheck().isReadiness());
        result.getMessage().ifPresent(message -> out.put("message", message));
        return out;
    }

    private Map<String, Object> relay() {
        var relay = status.relay();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", status.relayState());
        out.put("url", relay.address());
        out.put("connected_since", relay.connectedSince() == null ? null : relay.connectedSince().toString());
        out.put("last_frame_at", relay.lastFrameAtMillis() == 0 ? null
                : Instant.ofEpochMilli(relay.lastFrameAtMillis()).toString());
        out.put("frames_received", relay.framesReceived());
        out.put("reconnects", relay.reconnects());
        return out;
    }

    private Map<String, Object> nats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", status.natsState());
        out.put("server", status.natsServer());
        out.put("set_up", status.natsReady());
        out.put("problem", status.natsProblem());
        out.put("stream", status.settings().natsStream());
        out.put("subjects", status.settings().natsSubject() + ".>");
        out.put("kv_bucket", status.settings().natsKvBucket());
        out.put("posts_published", status.metrics().count(IngestMetrics.POSTS_PUBLISHED));
        return out;
    }

    private Map<String, Object> pipeline() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cursor", status.cursor());
        out.put("stored_cursor", status.storedCursor());
        out.put("last_frame_time", status.lastFrameTime());
        double lag = status.lagSeconds();
        out.put("lag_seconds", Double.isNaN(lag) ? null : lag);
        out.put("frames_per_second", status.framesPerSecond());
        out.put("posts_in_flight", status.pendingPosts());
        Map<String, Object> routes = new LinkedHashMap<>();
        for (Route route : camel.getRoutes()) {
            routes.put(route.getRouteId(), String.valueOf(camel.getRouteController().getRouteStatus(route.getRouteId())));
        }
        out.put("routes", routes);
        return out;
    }

    private static void reply(Exchange exchange, int code, Map<String, Object> body) throws Exception {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsString(body));
    }
}
