package dev.firehose.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.atproto.DecodeLimits;
import dev.firehose.ingest.atproto.FrameDecoder;
import dev.firehose.ingest.config.FirehoseSource;
import dev.firehose.ingest.config.IngestSettings;
import dev.firehose.ingest.config.Redaction;
import dev.firehose.ingest.config.SettingsReader;
import dev.firehose.ingest.delivery.CursorCheckpointer;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FailedPosts;
import dev.firehose.ingest.delivery.PostCustody;
import dev.firehose.ingest.delivery.PostDeletes;
import dev.firehose.ingest.delivery.StartCursor;
import dev.firehose.ingest.filter.StandardRules;
import dev.firehose.ingest.jetstream.JetstreamDecoder;
import dev.firehose.ingest.jetstream.JetstreamLimits;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.nats.DeadLetterPublisher;
import dev.firehose.ingest.nats.DeletePublisher;
import dev.firehose.ingest.nats.JetStreamComponent;
import dev.firehose.ingest.nats.JetStreamProvisioner;
import dev.firehose.ingest.nats.JetStreamPublisher;
import dev.firehose.ingest.nats.KvCursorStore;
import dev.firehose.ingest.nats.NatsConnectionWatchdog;
import dev.firehose.ingest.nats.NatsSession;
import dev.firehose.ingest.nats.PostMessages;
import dev.firehose.ingest.observe.HealthEndpoints;
import dev.firehose.ingest.observe.IngestStatus;
import dev.firehose.ingest.observe.NatsHealthCheck;
import dev.firehose.ingest.observe.ObservabilityService;
import dev.firehose.ingest.observe.PipelineHealthCheck;
import dev.firehose.ingest.observe.RelayHealthCheck;
import dev.firehose.ingest.pipeline.DeliveryTracking;
import dev.firehose.ingest.pipeline.FrameDecodeProcessor;
import dev.firehose.ingest.pipeline.IngestFlowControl;
import dev.firehose.ingest.pipeline.JetstreamDecodeProcessor;
import dev.firehose.ingest.pipeline.PostFilter;
import dev.firehose.ingest.pipeline.RelayErrorPolicy;
import dev.firehose.ingest.pipeline.RouteFailures;
import dev.firehose.ingest.pipeline.SourceDecoder;
import dev.firehose.ingest.relay.FirehoseWebsocketComponent;
import dev.firehose.ingest.relay.RelaySettings;
import dev.firehose.ingest.relay.RelayStatus;
import io.nats.client.Connection;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the service before the routes load: reads and checks the settings, binds the beans and components the YAML
 * routes refer to, and adds what no route step may forget (docs/invariants.md): the delivery tracking around the
 * aggregate EIP, the dead letter channel as every route's error handler, the publisher, the checkpointer and the NATS
 * session, which connects, makes sure the stream and the cursor bucket exist and reads the stored cursor before the
 * relay is read.
 */
@Configuration
public class IngestConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConfiguration.class);
    /** Frames started and not yet durable at once (rule D5); most are frames without posts behind a held one. */
    private static final int MAX_OPEN_FRAMES = 100_000;
    private static final long BLOCKED_THREAD_CHECK_MILLIS = 5_000;

    @Override
    public void configure(CamelContext context) throws Exception {
        IngestSettings settings = new SettingsReader(key -> property(context, key)).read();
        Registry registry = context.getRegistry();
        ExecutorServiceManager threads = context.getExecutorServiceManager();

        IngestMetrics metrics = new IngestMetrics();
        boolean jetstream = settings.source() == FirehoseSource.JETSTREAM;
        // One watermark, checkpointer and cursor store, for the selected source. Jetstream's time_us can repeat (the
        // events of one commit), and it resumes a little before its cursor (IngestFlowControl.JETSTREAM_REWIND_MICROS).
        DeliveryWatermark watermark = new DeliveryWatermark(settings.maxPendingPosts(), MAX_OPEN_FRAMES, jetstream);
        long rewind = jetstream ? IngestFlowControl.JETSTREAM_REWIND_MICROS : 0;
        CursorCheckpointer checkpointer = new CursorCheckpointer(watermark, settings.cursorSaveInterval(), metrics,
                threads.newSingleThreadScheduledExecutor(this, "CursorCheckpointer"));
        PostCustody custody = new PostCustody(watermark);
        PostMessages messages = new PostMessages(new ObjectMapper());

        NatsSession nats = new NatsSession(settings.natsUrl(), settings.serviceName(), settings.natsAuth(),
                connection -> setUpNats(connection, settings, watermark, checkpointer, rewind),
                threads.newSingleThreadExecutor(this, "NatsConnect"));
        // Connecting and setting up NATS take a few round trips: they run while Camel loads the routes and starts.
        nats.startConnecting();
        DeadLetters deadLetters = settings.deadLettersEnabled()
                ? new DeadLetterPublisher(nats::connection, settings.deadLetterSubject(), messages)
                : DeadLetters.NONE;
        FailedPosts failures = new FailedPosts(watermark, deadLetters, metrics);
        JetStreamPublisher publisher = new JetStreamPublisher(nats::connection, settings.natsStream(),
                settings.publishWindow(), Duration.ofSeconds(10), metrics,
                threads.newSingleThreadScheduledExecutor(this, "PublishRetries"));

        // Stopped in reverse: the publisher drains the PubAcks of the batches the stopping routes forced out, then
        // the checkpointer stores the cursor they allow, then NATS goes.
        context.addService(nats, true, true);
        context.addService(new NatsConnectionWatchdog(nats::connection, Duration.ofSeconds(5), Duration.ofSeconds(5),
                metrics, threads.newSingleThreadScheduledExecutor(this, "NatsWatchdog")), true, true);
        context.addService(checkpointer, true, true);
        context.addService(publisher, true, true);

        // Delivery bookkeeping that the YAML cannot break: held posts around the aggregate EIP, and a dead letter
        // channel that fails (never retries) whatever a route step throws on.
        context.getCamelContextExtension().addInterceptStrategy(new DeliveryTracking(custody, failures));
        registry.bind("routeFailures", new RouteFailures(custody, failures, deadLetters,
                metrics.counter(IngestMetrics.FRAMES_FAILED)::add));
        context.getCamelContextExtension().setErrorHandlerFactory(deadLetterChannel("bean:routeFailures"));

        registry.bind("ingestSettings", settings);
        registry.bind("ingestMetrics", metrics);
        registry.bind("natsSession", nats);
        registry.bind("natsConnection", nats.sharedConnection());
        registry.bind("deliveryWatermark", watermark);
        registry.bind("cursorCheckpointer", checkpointer);
        registry.bind("jetStreamPublisher", publisher);
        registry.bind("nats", new JetStreamComponent(publisher, messages, custody, watermark, failures, metrics));
        RelayErrorPolicy relayErrors = new RelayErrorPolicy(settings.resetOnFutureCursor());
        registry.bind("relayErrorPolicy", relayErrors);
        RelayStatus relayStatus = new RelayStatus();
        registry.bind("relayStatus", relayStatus);
        FirehoseWebsocketComponent websocket = new FirehoseWebsocketComponent(
                new IngestFlowControl(watermark, checkpointer, relayErrors, nats::isReady, rewind), watermark,
                RelaySettings.defaults().withLiveness(settings.firehosePingTimeout(), settings.firehoseIdleTimeout())
                        .withReadLinger(settings.firehoseReadLinger()),
                relayStatus);
        // The Vert.x of the websocket client and that of the HTTP endpoints (platform-http finds this bean) look for a
        // blocked event loop every 5 s instead of every second: each look is a timed wake-up, which costs here
        // (BENCHMARKS.md). A loop blocked for 7 s is always reported, a shorter block (over 2 s) when a look falls in.
        VertxOptions vertxOptions = new VertxOptions().setBlockedThreadCheckInterval(BLOCKED_THREAD_CHECK_MILLIS);
        registry.bind("vertxOptions", vertxOptions);
        websocket.setVertxOptions(vertxOptions);
        registry.bind("vertx-websocket", websocket);
        // Post deletes (PUBLISH_DELETES) leave from the decode step, held against their frame like posts.
        PostDeletes deletes = settings.publishDeletes()
                ? new DeletePublisher(publisher, watermark, settings.deleteSubject(), new ObjectMapper(), metrics)
                : PostDeletes.NONE;
        // Only the selected source's decode step: the other source's route is not loaded.
        SourceDecoder sourceDecoder = jetstream
                ? jetstreamDecoder(context, settings, watermark, metrics, deadLetters, deletes)
                : relayDecoder(settings, watermark, metrics, relayErrors, deadLetters, deletes);
        registry.bind(jetstream ? "jetstreamDecoder" : "frameDecoder", sourceDecoder);
        registry.bind("postFilter", new PostFilter(StandardRules.build(settings.filters()), metrics));

        IngestStatus status = new IngestStatus(settings, nats, relayStatus, watermark, checkpointer, sourceDecoder,
                relayErrors, metrics);
        registry.bind("ingestStatus", status);
        // Found by Camel's health-check registry among the beans (as any HealthCheck bean is): it serves them at
        // camel.management.health-path, and /health and /ready read the same registry.
        registry.bind("natsHealthCheck", new NatsHealthCheck(status));
        registry.bind("relayHealthCheck", new RelayHealthCheck(status));
        registry.bind("pipelineHealthCheck", new PipelineHealthCheck());
        HealthEndpoints health = new HealthEndpoints(status, context);
        registry.bind("livenessProbe", health.liveness());
        registry.bind("readinessProbe", health.readiness());
        registry.bind("healthReport", health.detailed());
        ObservabilityService observability = new ObservabilityService(status,
                threads.newSingleThreadScheduledExecutor(this, "Stats"));
        context.addService(observability, true, true);
        context.addStartupListener(observability);

        if (settings.routesReloadIntervalMillis() > 0) {
            // the files camel.main.routes-include-pattern loads: an edit of the other source's file starts nothing
            RoutesReloader reloader = new RoutesReloader(context, Path.of(settings.routesDirectory()),
                    List.of("health.yaml", settings.source().id() + ".yaml"), settings.routesReloadIntervalMillis(),
                    threads.newSingleThreadScheduledExecutor(this, "RoutesReload"));
            registry.bind("routesReloader", reloader);
            context.addService(reloader, true, true);
        }
    }

    private static FrameDecodeProcessor relayDecoder(IngestSettings settings, DeliveryWatermark watermark,
                                                     IngestMetrics metrics, RelayErrorPolicy relayErrors,
                                                     DeadLetters deadLetters, PostDeletes deletes) {
        DecodeLimits limits = DecodeLimits.defaults();
        FrameDecoder decoder = new FrameDecoder(new DecodeLimits(settings.maxFrameBytes(), limits.maxNestingDepth(),
                limits.maxBlocks(), limits.maxBlockBytes(), limits.maxOps()));
        return new FrameDecodeProcessor(decoder, watermark, metrics, relayErrors, deadLetters, deletes);
    }

    /** Its own decoder (and zstd context), freed when the context stops, after the routes. */
    private JetstreamDecodeProcessor jetstreamDecoder(CamelContext context, IngestSettings settings,
                                                      DeliveryWatermark watermark, IngestMetrics metrics,
                                                      DeadLetters deadLetters, PostDeletes deletes) throws Exception {
        JetstreamDecoder decoder = JetstreamDecoder.builder()
                .recordsOf(Set.of(JetstreamDecodeProcessor.POSTS))
                .limits(new JetstreamLimits(settings.maxFrameBytes(), JetstreamLimits.defaults().maxNestingDepth()))
                .build();
        JetstreamDecodeProcessor processor = new JetstreamDecodeProcessor(decoder, watermark, metrics, deadLetters,
                deletes);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                processor.close();
            }
        }, true, true);
        return processor;
    }

    /**
     * Every route's default error handler: no redelivery, and the failed exchange goes to {@code uri}, which counts,
     * logs and dead-letters it. The exchange is then handled: the frames around it flow on (rule D2).
     */
    private static DeadLetterChannelDefinition deadLetterChannel(String uri) {
        DeadLetterChannelDefinition channel = new DeadLetterChannelDefinition(uri);
        RedeliveryPolicyDefinition policy = new RedeliveryPolicyDefinition();
        policy.setMaximumRedeliveries("0");
        policy.setLogExhausted("false");
        policy.setLogStackTrace("false");
        policy.setLogRetryAttempted("false");
        channel.setRedeliveryPolicy(policy);
        return channel;
    }

    /**
     * Once connected: JetStream must be there, the stream and bucket exist, and the stored cursor is the resume point.
     */
    private static void setUpNats(Connection connection, IngestSettings settings, DeliveryWatermark watermark,
                                  CursorCheckpointer checkpointer, long rewind) throws Exception {
        JetStreamProvisioner provisioner = new JetStreamProvisioner(connection);
        provisioner.requireJetStream();
        provisioner.ensureStream(new JetStreamProvisioner.StreamSpec(settings.natsStream(), settings.natsSubject(),
                settings.streamMaxAge(), settings.streamMaxBytes(), settings.streamReplicas(),
                settings.duplicateWindow(), settings.publishDeletes() ? settings.deleteSubject() : null));
        provisioner.ensureBucket(settings.natsKvBucket(), settings.streamReplicas());

        // Each source its own key (SERVICE_NAME, SERVICE_NAME.jetstream): a seq is never read as a time, nor back.
        KvCursorStore cursorStore = new KvCursorStore(connection, settings.natsKvBucket(), settings.cursorKey());
        long resumeFrom = new StartCursor(settings.startCursor()).resumePoint(cursorStore);
        long replayFrom = resumeFrom == DeliveryWatermark.NONE ? resumeFrom
                : IngestFlowControl.rewound(resumeFrom, rewind);
        watermark.resumeFrom(resumeFrom, replayFrom);
        checkpointer.attach(cursorStore, resumeFrom);
        LOG.info("Source {} {} -> NATS {} stream {} subjects {}.>; {}", settings.source().id(),
                settings.sourceUrl().getHost(), Redaction.url(settings.natsUrl()), settings.natsStream(),
                settings.natsSubject(), resumeFrom == DeliveryWatermark.NONE ? "no cursor: starting live"
                        : "resuming after cursor " + resumeFrom + " (key " + settings.cursorKey() + ")"
                        + (replayFrom < resumeFrom ? ", taking again what follows " + replayFrom : ""));
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(null);
    }
}
