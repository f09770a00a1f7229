package dev.firehose.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.atproto.DecodeLimits;
import dev.firehose.ingest.atproto.FrameDecoder;
import dev.firehose.ingest.config.IngestSettings;
import dev.firehose.ingest.config.Redaction;
import dev.firehose.ingest.config.SettingsReader;
import dev.firehose.ingest.filter.StandardRules;
import dev.firehose.ingest.nats.DeadLetterPublisher;
import dev.firehose.ingest.nats.JetStreamComponent;
import dev.firehose.ingest.nats.JetStreamProvisioner;
import dev.firehose.ingest.nats.KvCursorStore;
import dev.firehose.ingest.nats.NatsConnectionWatchdog;
import dev.firehose.ingest.nats.NatsSession;
import dev.firehose.ingest.observe.HealthEndpoints;
import dev.firehose.ingest.observe.IngestStatus;
import dev.firehose.ingest.observe.ObservabilityService;
import dev.firehose.ingest.pipeline.BadFrameSink;
import dev.firehose.ingest.pipeline.CursorCheckpointer;
import dev.firehose.ingest.pipeline.DeliveryWatermark;
import dev.firehose.ingest.pipeline.FrameDecodeProcessor;
import dev.firehose.ingest.pipeline.FrameDoneProcessor;
import dev.firehose.ingest.pipeline.IngestFlowControl;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.pipeline.PostBatchStrategy;
import dev.firehose.ingest.pipeline.PostFilter;
import dev.firehose.ingest.pipeline.PostMessageProcessor;
import dev.firehose.ingest.pipeline.PostPublishedProcessor;
import dev.firehose.ingest.pipeline.PublishRetryProcessor;
import dev.firehose.ingest.pipeline.RelayErrorPolicy;
import dev.firehose.ingest.relay.FirehoseWebsocketComponent;
import dev.firehose.ingest.relay.RelaySettings;
import dev.firehose.ingest.relay.RelayStatus;
import io.nats.client.Connection;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the service before the routes load: reads and checks the settings, binds the beans the YAML routes refer
 * to, and adds the NATS session, which connects, makes sure the stream and the cursor bucket exist and reads the
 * stored cursor before the relay is read.
 */
@Configuration
public class IngestConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        IngestSettings settings = new SettingsReader(key -> property(context, key)).read();

        IngestMetrics metrics = new IngestMetrics();
        DeliveryWatermark watermark = new DeliveryWatermark(DeliveryWatermark.NONE);
        CursorCheckpointer checkpointer = new CursorCheckpointer(watermark, settings.cursorSaveInterval(), metrics,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "CursorCheckpointer"));
        Registry registry = context.getRegistry();

        NatsSession nats = new NatsSession(settings.natsUrl(), settings.serviceName(), settings.natsAuth(),
                connection -> setUpNats(connection, settings, watermark, checkpointer, registry),
                context.getExecutorServiceManager().newSingleThreadExecutor(this, "NatsConnect"));
        context.addService(nats, true, true);
        context.addService(new NatsConnectionWatchdog(nats::connection, Duration.ofSeconds(5), Duration.ofSeconds(5),
                metrics, context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "NatsWatchdog")),
                true, true);
        // Added after the NATS session, so it is stopped before it: the last cursor save still has NATS.
        context.addService(checkpointer, true, true);

        registry.bind("ingestSettings", settings);
        registry.bind("ingestMetrics", metrics);
        registry.bind("natsSession", nats);
        registry.bind("nats", new JetStreamComponent(metrics));
        registry.bind("deliveryWatermark", watermark);
        registry.bind("cursorCheckpointer", checkpointer);
        RelayErrorPolicy relayErrors = new RelayErrorPolicy(settings.resetOnFutureCursor(), watermark, checkpointer);
        registry.bind("relayErrorPolicy", relayErrors);
        RelayStatus relayStatus = new RelayStatus();
        registry.bind("relayStatus", relayStatus);
        registry.bind("vertx-websocket", new FirehoseWebsocketComponent(
                new IngestFlowControl(watermark, settings.maxPendingPosts(), nats::isReady),
                RelaySettings.defaults().withIdleTimeout(settings.firehoseIdleTimeout()), relayStatus));
        DecodeLimits limits = DecodeLimits.defaults();
        FrameDecoder decoder = new FrameDecoder(new DecodeLimits(settings.maxFrameBytes(), limits.maxNestingDepth(),
                limits.maxBlocks(), limits.maxBlockBytes(), limits.maxOps()));
        BadFrameSink badFrames = settings.deadLettersEnabled()
                ? new DeadLetterPublisher(nats::connection, settings.deadLetterSubject())
                : BadFrameSink.NONE;
        FrameDecodeProcessor frameDecoder = new FrameDecodeProcessor(decoder, watermark, metrics, relayErrors,
                badFrames);
        registry.bind("frameDecoder", frameDecoder);
        registry.bind("postFilter", new PostFilter(StandardRules.build(settings.filters()), metrics));
        registry.bind("postBatch", new PostBatchStrategy(watermark, metrics));
        registry.bind("postMessage", new PostMessageProcessor(new ObjectMapper()));
        registry.bind("postPublished", new PostPublishedProcessor(watermark, checkpointer, metrics));
        registry.bind("frameDone", new FrameDoneProcessor(watermark, checkpointer));
        registry.bind("publishRetry", new PublishRetryProcessor(metrics));

        IngestStatus status = new IngestStatus(settings, nats, relayStatus, watermark, checkpointer, frameDecoder,
                relayErrors, metrics);
        HealthEndpoints health = new HealthEndpoints(status, context);
        registry.bind("ingestStatus", status);
        registry.bind("readinessProbe", health.readiness());
        registry.bind("healthReport", health.detailed());
        ObservabilityService observability = new ObservabilityService(status,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "Stats"));
        context.addService(observability, true, true);
        context.addStartupListener(observability);

        if (settings.routesReloadIntervalMillis() > 0) {
            RoutesReloader reloader = new RoutesReloader(context, Path.of(settings.routesDirectory()),
                    settings.routesReloadIntervalMillis(), context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "RoutesReload"));
            registry.bind("routesReloader", reloader);
            context.addService(reloader, true, true);
        }
    }

    /**
     * Once connected: JetStream must be there, the stream and bucket exist, the stored cursor is the resume point,
     * and the connection is bound for the route's nats: endpoints.
     */
    private static void setUpNats(Connection connection, IngestSettings settings, DeliveryWatermark watermark,
                                  CursorCheckpointer checkpointer, Registry registry) throws Exception {
        JetStreamProvisioner provisioner = new JetStreamProvisioner(connection);
        provisioner.requireJetStream();
        provisioner.ensureStream(new JetStreamProvisioner.StreamSpec(settings.natsStream(), settings.natsSubject(),
                settings.streamMaxAge(), settings.streamMaxBytes(), settings.streamReplicas(),
                settings.duplicateWindow()));
        provisioner.ensureBucket(settings.natsKvBucket(), settings.streamReplicas());

        KvCursorStore cursorStore = new KvCursorStore(connection, settings.natsKvBucket(), settings.serviceName());
        OptionalLong stored = cursorStore.load();
        long resumeFrom = stored.orElse(DeliveryWatermark.NONE);
        watermark.resumeFrom(resumeFrom);
        checkpointer.attach(cursorStore, resumeFrom);
        registry.bind("natsConnection", connection);
        LOG.info("Firehose {} -> NATS {} stream {} subjects {}.>; {}", settings.firehoseUrl().getHost(),
                Redaction.url(settings.natsUrl()), settings.natsStream(), settings.natsSubject(),
                stored.isPresent() ? "resuming after cursor " + resumeFrom : "no stored cursor: starting live");
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(null);
    }
}
