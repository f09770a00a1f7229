package dev.firehose.ingest.observe;

import java.time.Instant;
import java.util.Map;

import dev.firehose.ingest.relay.RelayStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness {@code relay}: DOWN while the relay refuses our cursor (FutureCursor, and FIREHOSE_RESET_ON_FUTURE_CURSOR
 * is off), and while the socket is not connected and no frame came in the last 30 s. Readiness only: the consumer
 * reconnects by itself, with backoff, for ever.
 */
public final class RelayHealthCheck extends AbstractHealthCheck {

    public static final String ID = "relay";
    /** A reconnect takes a second or so; readiness does not flap for it. */
    private static final long RECONNECT_GRACE_MILLIS = 30_000;

    private final IngestStatus status;

    public RelayHealthCheck(IngestStatus status) {
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
        return 200; // after nats (100), before pipeline (300)
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RelayStatus relay = status.relay();
        long lastFrameAt = relay.lastFrameAtMillis();
        builder.detail("relay.state", status.relayState());
        builder.detail("relay.url", relay.address());
        builder.detail("relay.reconnects", relay.reconnects());
        if (relay.connectedSince() != null) {
            builder.detail("relay.connected-since", relay.connectedSince().toString());
        }
        if (lastFrameAt > 0) {
            builder.detail("relay.last-frame-at", Instant.ofEpochMilli(lastFrameAt).toString());
        }

        boolean recentFrame = lastFrameAt > 0 && System.currentTimeMillis() - lastFrameAt <= RECONNECT_GRACE_MILLIS;
        if (status.relayRefusesCursor()) {
            builder.message("relay: FutureCursor, our cursor is ahead of the relay "
                    + "(see FIREHOSE_RESET_ON_FUTURE_CURSOR)");
            builder.down();
        } else if (!relay.isConnected() && !recentFrame) {
            builder.message("relay: not connected");
            builder.down();
        } else {
            builder.up();
        }
    }
}
