package dev.firehose.ingest.observe;

import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;

import dev.firehose.ingest.config.IngestSettings;
import dev.firehose.ingest.config.Redaction;
import dev.firehose.ingest.nats.NatsSession;
import dev.firehose.ingest.delivery.CursorCheckpointer;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.pipeline.FrameDecodeProcessor;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.pipeline.RelayErrorPolicy;
import dev.firehose.ingest.relay.RelayStatus;
import io.nats.client.Connection;

/**
 * One read-only view of the service's state, for readiness, the detailed health report, the stats log line and
 * the gauges. Nothing here holds a secret: URLs are shown without credentials or query.
 */
public final class IngestStatus {

    private static final long RECONNECT_GRACE_MILLIS = 30_000;

    private final IngestSettings settings;
    private final NatsSession nats;
    private final RelayStatus relay;
    private final DeliveryWatermark watermark;
    private final CursorCheckpointer checkpointer;
    private final FrameDecodeProcessor decoder;
    private final RelayErrorPolicy relayErrors;
    private final IngestMetrics metrics;
    private final FrameRate frameRate;

    public IngestStatus(IngestSettings settings, NatsSession nats, RelayStatus relay, DeliveryWatermark watermark,
                        CursorCheckpointer checkpointer, FrameDecodeProcessor decoder, RelayErrorPolicy relayErrors,
                        IngestMetrics metrics) {
        this.settings = settings;
        this.nats = nats;
        this.relay = relay;
        this.watermark = watermark;
        this.checkpointer = checkpointer;
        this.decoder = decoder;
        this.relayErrors = relayErrors;
        this.metrics = metrics;
        this.frameRate = new FrameRate(() -> metrics.total(IngestMetrics.FRAMES), 10);
    }

    /** Why the service should not get traffic, or null when it is ready. */
    public String notReadyReason() {
        if (!nats.isReady()) {
            return "NATS: " + natsProblem();
        }
        if (!nats.isConnected()) {
            return "NATS: disconnected";
        }
        if (relayErrors.stuckOnFutureCursor()) {
            return "relay: FutureCursor, our cursor is ahead of the relay (see FIREHOSE_RESET_ON_FUTURE_CURSOR)";
        }
        // A reconnect takes a second or so; readiness does not flap for it.
        boolean recentFrame = relay.lastFrameAtMillis() > 0
                && System.currentTimeMillis() - relay.lastFrameAtMillis() <= RECONNECT_GRACE_MILLIS;
        if (!relay.isConnected() && !recentFrame) {
            return "relay: not connected";
        }
        return null;
    }

    public boolean natsConnected() {
        return nats.isConnected();
    }

    public boolean natsReady() {
        return nats.isReady();
    }

    /** Why NATS is not set up, or null; served unauthenticated, so masked once more here (the session masks it). */
    public String natsProblem() {
        return Redaction.patterns(nats.problem());
    }

    /** The NATS server we are connected to, without credentials. */
    public String natsServer() {
        Connection connection = nats.connection();
        String url = connection == null ? null : connection.getConnectedUrl();
        return url == null ? null : Redaction.url(url);
    }

    public String natsState() {
        Connection connection = nats.connection();
        return connection == null ? "NOT_CONNECTED" : connection.getStatus().name();
    }

    public IngestSettings settings() {
        return settings;
    }

    public RelayStatus relay() {
        return relay;
    }

    public long cursor() {
        return watermark.watermark();
    }

    public long storedCursor() {
        return checkpointer.lastSaved();
    }

    public long pendingPosts() {
        return watermark.heldPosts();
    }

    /** Relay time of the last frame taken, or null. */
    public String lastFrameTime() {
        return decoder.lastEventTime();
    }

    /** Seconds between now and the relay time of the last frame taken; NaN before the first. */
    public double lagSeconds() {
        String time = decoder.lastEventTime();
        if (time == null) {
            return Double.NaN;
        }
        try {
            return Duration.between(Instant.parse(time), Instant.now()).toMillis() / 1000.0;
        } catch (DateTimeException | ArithmeticException e) {
            // unparsable, or a time so far off that the difference overflows: the relay's clock, not ours
            return Double.NaN;
        }
    }

    public double framesPerSecond() {
        return frameRate.perSecond();
    }

    FrameRate frameRate() {
        return frameRate;
    }

    public IngestMetrics metrics() {
        return metrics;
    }
}
