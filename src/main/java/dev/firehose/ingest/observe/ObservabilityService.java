package dev.firehose.ingest.observe;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.firehose.ingest.metrics.IngestMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once Camel has started (and created the Prometheus registry it scrapes): exports the pipeline's counters and
 * gauges there, samples the frame rate every second and writes one stats line every 20 s at INFO — nothing per
 * frame at INFO.
 */
public final class ObservabilityService extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityService.class);
    private static final long STATS_EVERY_SECONDS = 20;

    private final IngestStatus status;
    private final ScheduledExecutorService ticker;
    private long ticks;

    public ObservabilityService(IngestStatus status, ScheduledExecutorService ticker) {
        this.status = status;
        this.ticker = ticker;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        MeterRegistry meters = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            LOG.warn("No Micrometer registry '{}': pipeline metrics are not exported",
                    MicrometerConstants.METRICS_REGISTRY_NAME);
        } else {
            bind(meters);
            bindRouteInflight(context, meters);
        }
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void bind(MeterRegistry meters) {
        status.metrics().bindTo(meters);
        // Names of the service this one replaces first.
        Gauge.builder("firehose_messages_per_second", status, IngestStatus::framesPerSecond)
                .description("Frames per second over the last 10 s").register(meters);
        Gauge.builder("nats_connected", status, s -> s.natsConnected() ? 1 : 0)
                .description("1 while the NATS connection is up").register(meters);
        Gauge.builder("firehose_relay_connected", status, s -> s.relay().isConnected() ? 1 : 0).register(meters);
        Gauge.builder("firehose_relay_paused", status, s -> s.relay().isPaused() ? 1 : 0)
                .description("1 while the socket is paused because the pipeline is full").register(meters);
        FunctionCounter.builder("firehose_relay_reconnects", status, s -> s.relay().reconnects()).register(meters);
        Gauge.builder("firehose_cursor", status, IngestStatus::cursor)
                .description("Highest seq whose accepted posts are all acknowledged").register(meters);
        Gauge.builder("firehose_cursor_stored", status, IngestStatus::storedCursor)
                .description("Cursor last written to the KV bucket").register(meters);
        Gauge.builder("firehose_cursor_lag_seconds", status, IngestStatus::lagSeconds)
                .description("Now minus the relay time of the last frame taken").register(meters);
        Gauge.builder("firehose_posts_in_flight", status, IngestStatus::pendingPosts)
                .description("Accepted posts waiting for their PubAck").register(meters);
    }

    /**
     * Exchanges in flight per route, under the name and tags camel-micrometer's exchange event notifier uses. That
     * notifier is off (application.properties): it searches the whole meter registry for every exchange.
     */
    private static void bindRouteInflight(CamelContext context, MeterRegistry meters) {
        var inflight = context.getInflightRepository();
        for (var route : context.getRoutes()) {
            String routeId = route.getRouteId();
            Gauge.builder("camel.exchanges.inflight", () -> inflight.size(routeId))
                    .description("Route inflight messages")
                    .tags("camelContext", context.getName(), "routeId", routeId, "eventType", "route")
                    .register(meters);
        }
    }

    private void tick() {
        try {
            status.frameRate().sample();
            if (++ticks % STATS_EVERY_SECONDS == 0) {
                logStats();
            }
        } catch (RuntimeException e) {
            LOG.warn("Stats tick failed: {}", e.toString());
        }
    }

    private void logStats() {
        IngestMetrics m = status.metrics();
        LOG.info("stats: {} frames/s, frames {}, posts seen {} published {} filtered {}, malformed {}, "
                        + "cursor {} stored {}, lag {} s, in flight {}, relay {} (reconnects {}), NATS {}",
                String.format("%.1f", status.framesPerSecond()), m.total(IngestMetrics.FRAMES),
                m.count(IngestMetrics.POSTS_SEEN), m.count(IngestMetrics.POSTS_PUBLISHED),
                m.total(IngestMetrics.POSTS_FILTERED), m.total(IngestMetrics.MALFORMED_FRAMES), status.cursor(),
                status.storedCursor(), String.format("%.1f", status.lagSeconds()), status.pendingPosts(),
                status.relay().isConnected() ? "connected" : "disconnected", status.relay().reconnects(),
                status.natsState());
    }

    @Override
    protected void doStop() {
        ticker.shutdownNow();
    }
}
