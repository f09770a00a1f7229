package dev.firehose.ingest.observe;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness {@code nats}: DOWN until the NATS session is connected and set up (JetStream, the stream, the cursor
 * bucket, the stored cursor read), and while its connection is not CONNECTED; the message says why. Readiness
 * only: restarting the pod does not bring NATS back, and the session reconnects by itself. Messages and details
 * are served unauthenticated, so they carry no credentials ({@link IngestStatus} masks them).
 */
public final class NatsHealthCheck extends AbstractHealthCheck {

    public static final String ID = "nats";

    private final IngestStatus status;

    public NatsHealthCheck(IngestStatus status) {
        super(ID);
        this.status = status;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    public int getOrder() {
        // before relay (200) and pipeline (300): while NATS is away the relay is not read either, and the
        // not-ready reason, made of the DOWN checks' messages in this order, names the cause first
        return 100;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean setUp = status.natsReady();
        builder.detail("nats.state", status.natsState());
        builder.detail("nats.set-up", setUp);
        String server = status.natsServer();
        if (server != null) {
            builder.detail("nats.server", server);
        }
        if (!setUp) {
            String problem = status.natsProblem();
            builder.message("NATS: " + (problem == null ? "not set up" : problem));
            builder.down();
        } else if (!status.natsConnected()) {
            builder.message("NATS: disconnected");
            builder.down();
        } else {
            builder.up();
        }
    }
}
