package dev.firehose.ingest.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.firehose.ingest.relay.FirehoseWebsocketEndpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness and readiness {@code pipeline}: DOWN while a route that reads the relay is not started. Nothing in the
 * service starts a stopped route again (a route-file reload replaces one in well under a second, shorter than the
 * liveness probe's failure threshold), so this is the one state the process does not leave by itself, and a restart
 * (which loads the route files again) is the cure. Everything outside the process (NATS, the relay) is readiness's
 * business: the session and the relay consumer reconnect for ever.
 *
 * <p>No route reading the relay at all is a route file without one: a restart would load the same, so it is not a
 * liveness matter; readiness is DOWN through {@code relay}, which never connects.
 */
public final class PipelineHealthCheck extends AbstractHealthCheck {

    public static final String ID = "pipeline";

    public PipelineHealthCheck() {
        super(ID);
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    public int getOrder() {
        return 300; // after nats (100) and relay (200)
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> notStarted = new ArrayList<>();
        List<String> relayRoutes = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getEndpoint() instanceof FirehoseWebsocketEndpoint) {
                String id = route.getRouteId();
                ServiceStatus state = getCamelContext().getRouteController().getRouteStatus(id);
                relayRoutes.add(id);
                builder.detail("route." + id + ".status", String.valueOf(state));
                if (state == null || !state.isStarted()) {
                    notStarted.add(id + " is " + state);
                }
            }
        }
        builder.detail("pipeline.relay-routes", String.join(",", relayRoutes));
        if (notStarted.isEmpty()) {
            builder.up();
        } else {
            builder.message("pipeline: route " + String.join(", ", notStarted));
            builder.down();
        }
    }
}
