package dev.firehose.ingest.observe;

import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;

import dev.firehose.ingest.config.IngestSettings;
import dev.firehose.ingest.config.Redaction;
import dev.firehose.ingest.nats.NatsSession;
import dev.firehose.ingest.delivery.CursorCheckpointer;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.pipeline.RelayErrorPolicy;
import dev.firehose.ingest.pipeline.SourceDecoder;
import dev.firehose.ingest.relay.RelayStatus;
import io.nats.client.Connection;

/**
 * One read-only view of the service's state, for the health checks, the detailed health report, the stats log line
 * and the gauges: facts only, what they mean for readiness and liveness is the checks' business. Nothing here holds
 * a secret: URLs are shown without credentials or query.
 */
public final class IngestStatus {

    private final IngestSettings settings;
    private final NatsSession nats;
    private final RelayStatus relay;
    private final DeliveryWatermark watermark;
    private final CursorCheckpointer checkpointer;
    private final SourceDecoder decoder;
    private final RelayErrorPolicy relayErrors;
    private final IngestMetrics metrics;
    private final FrameRate frameRate;

    public IngestStatus(IngestSettings settings, NatsSession nats, RelayStatus relay, DeliveryWatermark watermark,
                        CursorCheckpointer checkpointer, SourceDecoder decoder, RelayErrorPolicy relayErrors,
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

    /** True while the relay keeps refusing our cursor (FutureCursor) and we may not reset it. */
    public boolean relayRefusesCursor() {
        return relayErrors.stuckOnFutureCursor();
    }

    /** CONNECTED, PAUSED (connected, not read while the pipeline is full) or DISCONNECTED. */
    public String relayState() {
        return relay.isConnected() ? (relay.isPaused() ? "PAUSED" : "CONNECTED") : "DISCONNECTED";
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

    /** The source's time of the last frame taken, or null. */
    public String lastFrameTime() {
        return decoder.lastEventTime();
    }

    /** Seconds between now and the source's time of the last frame taken; NaN before the first. */
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
