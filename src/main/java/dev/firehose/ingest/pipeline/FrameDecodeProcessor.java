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
import dev.firehose.ingest.atproto.PostDelete;
import dev.firehose.ingest.atproto.RecordProblem;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.PostDeletes;
import dev.firehose.ingest.metrics.IngestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay route's {@code frameDecoder}: binary relay frames in (a batch, see {@link FrameBatchProcessor}), the posts
 * they create out (a {@code List<Post>} body, usually empty). It tells the {@link DeliveryWatermark} each frame's seq
 * once the frame decoded completely, and only then (rule D3: a malformed frame never moves the cursor, whatever seq its
 * broken bytes claim; the next good frame does). Bad input never stops the route: a malformed frame is counted, logged
 * with its reason and dead-lettered, and creates no post, so the frames around it flow on. With
 * {@code PUBLISH_DELETES}, a frame's post deletes leave from here ({@link PostDeletes}), each held against its frame's
 * ticket until its PubAck.
 *
 * <p>Hot path: the counters are resolved once here, so a frame costs no map look-up.
 */
public final class FrameDecodeProcessor extends FrameBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecodeProcessor.class);

    private final FrameDecoder decoder;
    private final RelayErrorPolicy relayErrors;
    private final IngestMetrics metrics;
    private final Map<String, LongAdder> framesByType;
    private final LongAdder errorFrames;
    private final Map<MalformedFrameException.Reason, LongAdder> malformed =
            new EnumMap<>(MalformedFrameException.Reason.class);

    public FrameDecodeProcessor(FrameDecoder decoder, DeliveryWatermark watermark, IngestMetrics metrics,
                                RelayErrorPolicy relayErrors, DeadLetters deadLetters, PostDeletes deletes) {
        super(new DecodeBookkeeping(LOG, watermark, metrics, deadLetters, deletes, "seq"));
        this.decoder = decoder;
        this.relayErrors = relayErrors;
        this.metrics = metrics;
        this.framesByType = Map.of(
                FirehoseEvent.COMMIT, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.COMMIT),
                FirehoseEvent.IDENTITY, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.IDENTITY),
                FirehoseEvent.ACCOUNT, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.ACCOUNT),
                FirehoseEvent.SYNC, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.SYNC),
                FirehoseEvent.INFO, metrics.counter(IngestMetrics.FRAMES, FirehoseEvent.INFO));
        this.errorFrames = metrics.counter(IngestMetrics.FRAMES, "error");
        for (MalformedFrameException.Reason reason : MalformedFrameException.Reason.values()) {
            malformed.put(reason, metrics.counter(IngestMetrics.MALFORMED_FRAMES, reason.name()));
        }
    }

    @Override
    List<Post> decode(byte[] frame, boolean text, DeliveryWatermark.Frame tracked) {
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
            if (!event.hasSeq() || !frames.positioned(tracked, event.seq())) {
                return List.of();
            }
            relayErrors.onFrameDecoded();
            frames.eventTime(event.time());
            for (RecordProblem problem : event.recordProblems()) {
                frames.badRecord(problem.reason(), problem.path(), event.seq(), problem.detail());
            }
            for (FieldProblem problem : event.fieldProblems()) {
                frames.fieldProblem(problem);
            }
            if (frames.publishesDeletes()) {
                for (PostDelete delete : event.postDeletes()) {
                    frames.deleted(delete, tracked);
                }
            }
            List<Post> posts = event.posts();
            if (!posts.isEmpty()) {
                frames.postsSeen(posts.size());
            }
            return posts;
        } catch (MalformedFrameException e) {
            frames.malformed(malformed.get(e.reason()), frame, e.reason().name(), e.seq(), e.getMessage());
            return List.of();
        }
    }
}
