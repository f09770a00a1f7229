package dev.firehose.ingest;

import java.time.Duration;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.atproto.DecodeLimits;
import dev.firehose.ingest.atproto.FrameDecoder;
import dev.firehose.ingest.config.IngestSettings;
import dev.firehose.ingest.config.Redaction;
import dev.firehose.ingest.config.SettingsReader;
import dev.firehose.ingest.nats.DeadLetterPublisher;
import dev.firehose.ingest.nats.JetStreamComponent;
import dev.firehose.ingest.nats.JetStreamProvisioner;
import dev.firehose.ingest.nats.KvCursorStore;
import dev.firehose.ingest.nats.NatsConnectionService;
import dev.firehose.ingest.nats.NatsConnectionWatchdog;
import dev.firehose.ingest.nats.NatsConnector;
import dev.firehose.ingest.pipeline.BadFrameSink;
import dev.firehose.ingest.pipeline.CursorCheckpointer;
import dev.firehose.ingest.pipeline.DeliveryWatermark;
import dev.firehose.ingest.pipeline.FrameDecodeProcessor;
import dev.firehose.ingest.pipeline.FrameDoneProcessor;
import dev.firehose.ingest.pipeline.IngestFlowControl;
import dev.firehose.ingest.pipeline.IngestMetrics;
import dev.firehose.ingest.pipeline.PostBatchStrategy;
import dev.firehose.ingest.pipeline.PostFilter;
import dev.firehose.ingest.pipeline.PostMessageProcessor;
import dev.firehose.ingest.pipeline.PostPublishedProcessor;
import dev.firehose.ingest.pipeline.RelayErrorPolicy;
import dev.firehose.ingest.relay.FirehoseWebsocketComponent;
import dev.firehose.ingest.relay.RelaySettings;
import io.nats.client.Connection;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the service before the routes load: reads and checks the settings, connects to NATS, makes sure the
 * stream and the cursor bucket exist, reads the stored cursor, and binds the beans the YAML routes refer to.
 */
@Configuration
public class IngestConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        IngestSettings settings = new SettingsReader(key -> property(context, key)).read();

        Connection nats = NatsConnector.connect(settings.natsUrl(), settings.serviceName());
        context.addService(new NatsConnectionService(nats), true, true);

        IngestMetrics metrics = new IngestMetrics();
        // Added after the connection service, so it is stopped before it.
        context.addService(new NatsConnectionWatchdog(nats, Duration.ofSeconds(5), Duration.ofSeconds(5), metrics,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "NatsWatchdog")), true, true);

        JetStreamProvisioner provisioner = new JetStreamProvisioner(nats);
        provisioner.requireJetStream();
        provisioner.ensureStream(new JetStreamProvisioner.StreamSpec(settings.natsStream(), settings.natsSubject(),
                settings.streamMaxAge(), settings.streamMaxBytes(), settings.streamReplicas(),
                settings.duplicateWindow()));
        provisioner.ensureBucket(settings.natsKvBucket(), settings.streamReplicas());

        KvCursorStore cursorStore = new KvCursorStore(nats, settings.natsKvBucket(), settings.serviceName());
        OptionalLong stored = cursorStore.load();
        long resumeFrom = stored.orElse(DeliveryWatermark.NONE);
        LOG.info("Firehose {} -> NATS {} stream {} subjects {}.>; {}", settings.firehoseUrl().getHost(),
                Redaction.url(settings.natsUrl()), settings.natsStream(), settings.natsSubject(),
                stored.isPresent() ? "resuming after cursor " + resumeFrom : "no stored cursor: starting live");

        DeliveryWatermark watermark = new DeliveryWatermark(resumeFrom);
        CursorCheckpointer checkpointer = new CursorCheckpointer(watermark, cursorStore,
                settings.cursorSaveInterval(), resumeFrom, metrics,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "CursorCheckpointer"));
        // Added after the connection service, so it is stopped before it: the last cursor save still has NATS.
        context.addService(checkpointer, true, true);

        Registry registry = context.getRegistry();
        registry.bind("ingestSettings", settings);
        registry.bind("ingestMetrics", metrics);
        registry.bind("deliveryWatermark", watermark);
        registry.bind("cursorCheckpointer", checkpointer);
        registry.bind("natsConnection", nats);
        registry.bind("nats", new JetStreamComponent());
        RelayErrorPolicy relayErrors = new RelayErrorPolicy(settings.resetOnFutureCursor(), watermark, checkpointer);
        registry.bind("relayErrorPolicy", relayErrors);
        registry.bind("vertx-websocket", new FirehoseWebsocketComponent(
                new IngestFlowControl(watermark, settings.maxPendingPosts()),
                RelaySettings.defaults().withIdleTimeout(settings.firehoseIdleTimeout())));
        DecodeLimits limits = DecodeLimits.defaults();
        FrameDecoder decoder = new FrameDecoder(new DecodeLimits(settings.maxFrameBytes(), limits.maxNestingDepth(),
                limits.maxBlocks(), limits.maxBlockBytes(), limits.maxOps()));
        BadFrameSink badFrames = settings.deadLettersEnabled()
                ? new DeadLetterPublisher(nats, settings.deadLetterSubject())
                : BadFrameSink.NONE;
        registry.bind("frameDecoder", new FrameDecodeProcessor(decoder, watermark, metrics, relayErrors, badFrames));
        registry.bind("postFilter", new PostFilter(settings.textFilteringEnabled(), settings.minTextLength(),
                settings.maxTextLength(), metrics));
        registry.bind("postBatch", new PostBatchStrategy(watermark));
        registry.bind("postMessage", new PostMessageProcessor(new ObjectMapper()));
        registry.bind("postPublished", new PostPublishedProcessor(watermark, checkpointer, metrics));
        registry.bind("frameDone", new FrameDoneProcessor(watermark, checkpointer));
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(null);
    }
}
