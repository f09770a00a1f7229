package dev.firehose.ingest.pipeline;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.firehose.ingest.atproto.FieldProblem;
import dev.firehose.ingest.atproto.FirehoseEvent;
import dev.firehose.ingest.atproto.FrameDecoder;
import dev.firehose.ingest.atproto.MalformedFrameException;
import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.atproto.RecordProblem;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.LogThrottle;
import dev.firehose.ingest.metrics.IngestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The route's {@code frameDecoder}: binary relay frames in (a batch, see {@link FrameBatchProcessor}), the posts they
 * create out (a {@code List<Post>} body, usually empty). It tells the {@link DeliveryWatermark} the frame's seq once the frame decoded completely, and only
 * then (rule D3: a malformed frame never moves the cursor, whatever seq its broken bytes claim; the next good frame
 * does). Bad input never stops the route: a malformed frame is counted, logged with its reason and dead-lettered, and
 * becomes an empty list, so the frames around it flow on.
 *
 * <p>Hot path: the counters are resolved once here, so a frame costs no map look-up.
 */
public final class FrameDecodeProcessor extends FrameBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecodeProcessor.class);

    private final FrameDecoder decoder;
    private final DeliveryWatermark watermark;
    private final RelayErrorPolicy relayErrors;
    private final DeadLetters deadLetters;
    private final IngestMetrics metrics;
    private final Map<String, LongAdder> framesByType;
    private final LongAdder errorFrames;
    private final LongAdder replayed;
    private final LongAdder postsSeen;
    private final Map<MalformedFrameException.Reason, LongAdder> malformed =
            new EnumMap<>(MalformedFrameException.Reason.class);
    private final LogThrottle malformedLog = new LogThrottle(20, 10_000);
    private volatile String lastEventTime;

    public FrameDecodeProcessor(FrameDecoder decoder, DeliveryWatermark watermark, IngestMetrics metrics,
                                RelayErrorPolicy relayErrors, DeadLetters deadLetters) {
        this.decoder = decoder;
        this.watermark = watermark;
        this.relayErrors = relayErrors;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.framesByType = Map.of(
                FirehoseEvent.COMMIT, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.COMMIT),
                FirehoseEvent.IDENTITY, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.IDENTITY),
                FirehoseEvent.ACCOUNT, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.ACCOUNT),
                FirehoseEvent.SYNC, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.SYNC),
                FirehoseEvent.INFO, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.INFO));
        this.errorFrames = metrics.counter(IngestMetrics.FRAMES, "error");
        this.replayed = metrics.counter(IngestMetrics.FRAMES_REPLAYED);
        this.postsSeen = metrics.counter(IngestMetrics.POSTS_SEEN);
        for (MalformedFrameException.Reason reason : MalformedFrameException.Reason.values()) {
            malformed.put(reason, metrics.counter(IngestMetrics.MALFORMED_FRAMES, reason.name()));
        }
    }

    @Override
    List<Post> decode(byte[] frame, DeliveryWatermark.Frame tracked) {
        try {
            FirehoseEvent event = decoder.decode(frame);
            if (event.op() == -1) {
                errorFrames.increment();
                metrics.increment(IngestMetrics.RELAY_ERRORS, RelayErrorPolicy.label(event.errorName()));
                relayErrors.onErrorFrame(event.errorName(), event.errorMessage());
            } else {
                framesByType.get(event.type()).increment();
                if (FirehoseEvent.INFO.equals(event.type())) {
                    // OutdatedCursor: the relay no longer has our cursor and starts from its oldest event; the gap
                    // is real and only visible here.
                    metrics.increment(IngestMetrics.RELAY_INFO, RelayErrorPolicy.label(event.infoName()));
                    LOG.warn("Relay info {}: {}", event.infoName(), event.infoMessage());
                }
            }
            if (!event.hasSeq() || !decoded(tracked, event.seq())) {
                return List.of();
            }
            lastEventTime = event.time();
            if (!event.recordProblems().isEmpty()) {
                recordProblems(event);
            }
            for (FieldProblem problem : event.fieldProblems()) {
                metrics.add(IngestMetrics.POST_FIELDS_DROPPED, problem.field(), problem.values());
            }
            List<Post> posts = event.posts();
            if (!posts.isEmpty()) {
                postsSeen.add(posts.size());
            }
            return posts;
        } catch (MalformedFrameException e) {
            malformed(frame, e);
            return List.of();
        }
    }

    /** The relay's time of the last frame decoded (for the cursor lag), or null before the first. */
    public String lastEventTime() {
        return lastEventTime;
    }

    /** Gives the frame its seq; false for a replay (a seq not after the last one decoded). */
    private boolean decoded(DeliveryWatermark.Frame tracked, long seq) {
        if (tracked != null && !watermark.frameDecoded(tracked, seq)) {
            replayed.increment();
            LOG.debug("Skipped frame seq={}: not after the last frame decoded", seq);
            return false;
        }
        relayErrors.onFrameDecoded();
        return true;
    }

    private void recordProblems(FirehoseEvent event) {
        for (RecordProblem problem : event.recordProblems()) {
            metrics.increment(IngestMetrics.RECORD_PROBLEMS, problem.reason().name());
            try (MDC.MDCCloseable ignored = MDC.putCloseable("seq", Long.toString(event.seq()))) {
                LOG.warn("Skipped record {} in frame seq={}: {} ({})", problem.path(), event.seq(),
                        problem.reason(), problem.detail());
            }
        }
    }

    private void malformed(byte[] frame, MalformedFrameException e) {
        malformed.get(e.reason()).increment();
        long suppressed = malformedLog.admit();
        if (suppressed >= 0) {
            String seq = e.seq() < 0 ? "?" : Long.toString(e.seq());
            try (MDC.MDCCloseable ignored = MDC.putCloseable("seq", seq)) {
                LOG.warn("Skipped malformed frame seq={} ({} bytes): {}{}", seq, frame == null ? 0 : frame.length,
                        e.getMessage(), LogThrottle.suffix(suppressed));
            }
        }
        deadLetters.frame(frame, e.reason().name(), e.seq());
    }
}
