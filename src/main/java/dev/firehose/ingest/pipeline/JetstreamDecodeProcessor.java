package dev.firehose.ingest.pipeline;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.atomic.LongAdder;

import dev.firehose.ingest.atproto.Excerpt;
import dev.firehose.ingest.atproto.FieldProblem;
import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.atproto.PostDelete;
import dev.firehose.ingest.atproto.Posts;
import dev.firehose.ingest.atproto.RejectedRecordException;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.PostDeletes;
import dev.firehose.ingest.jetstream.JetstreamDecoder;
import dev.firehose.ingest.jetstream.JetstreamEvent;
import dev.firehose.ingest.jetstream.MalformedEventException;
import dev.firehose.ingest.metrics.IngestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetstream route's {@code jetstreamDecoder}, the twin of {@link FrameDecodeProcessor}: Jetstream events in (a
 * batch, see {@link FrameBatchProcessor}; each a text JSON message, or a binary zstd frame with {@code compress=true}:
 * the websocket message type says which), the posts they create out (a {@code List<Post>} body, zero or one per
 * event). A create of {@code app.bsky.feed.post} becomes the same post the relay path makes of the record
 * ({@link Posts#fromRecord}: same validation and caps), with {@code seq} null and {@code time} from {@code time_us}.
 * The event's position is its {@code time_us}, given to the watermark once the event decoded completely (rule D3:
 * a malformed event gets none, whatever {@code time_us} it claims). With {@code PUBLISH_DELETES}, a delete of a post
 * leaves from here ({@link PostDeletes}, {@code seq} null), held against its event until its PubAck.
 *
 * <p>Counters: {@code firehose_frames_total{type}} by Jetstream kind ({@code commit}, {@code identity},
 * {@code account}), {@code firehose_malformed_frames_total{reason}} by {@link MalformedEventException.Reason}, and the
 * same record, field and replay counters as the relay's. One decoder per processor: its zstd context inflates one
 * message at a time, which is how the consumer hands them over.
 */
public final class JetstreamDecodeProcessor extends FrameBatchProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JetstreamDecodeProcessor.class);

    /** The collection whose creates are posts. */
    public static final String POSTS = "app.bsky.feed.post";

    private final JetstreamDecoder decoder;
    private final LongAdder[] framesByKind = new LongAdder[JetstreamEvent.Kind.values().length];
    private final Map<MalformedEventException.Reason, LongAdder> malformed =
            new EnumMap<>(MalformedEventException.Reason.class);
    private final Consumer<FieldProblem> fieldProblems;

    /** @param decoder one of its own, built with {@code recordsOf(Set.of(POSTS))} (other records are not read) */
    public JetstreamDecodeProcessor(JetstreamDecoder decoder, DeliveryWatermark watermark, IngestMetrics metrics,
                                    DeadLetters deadLetters, PostDeletes deletes) {
        super(new DecodeBookkeeping(LOG, watermark, metrics, deadLetters, deletes, "time_us"));
        this.decoder = decoder;
        for (JetstreamEvent.Kind kind : JetstreamEvent.Kind.values()) {
            framesByKind[kind.ordinal()] = metrics.counter(IngestMetrics.FRAMES, kind.wire());
        }
        for (MalformedEventException.Reason reason : MalformedEventException.Reason.values()) {
            malformed.put(reason, metrics.counter(IngestMetrics.MALFORMED_FRAMES, reason.name()));
        }
        this.fieldProblems = frames::fieldProblem;
    }

    /** compress=true sends binary zstd frames, plain Jetstream text JSON: {@code text} says which this one is. */
    @Override
    List<Post> decode(byte[] message, boolean text, DeliveryWatermark.Frame tracked) {
        try {
            JetstreamEvent event = decoder.decode(message, !text);
            framesByKind[event.kind().ordinal()].increment();
            if (!frames.positioned(tracked, event.timeUs())) {
                return List.of();
            }
            frames.eventTime(event.isoTime());
            if (event.isCreateIn(POSTS)) {
                return post(event);
            }
            if (event.operation() == JetstreamEvent.Operation.DELETE && POSTS.equals(event.collection())
                    && frames.publishesDeletes()) {
                delete(event, tracked);
            }
            return List.of();
        } catch (MalformedEventException e) {
            frames.malformed(malformed.get(e.reason()), message, e.reason().name(), e.timeUs(), e.getMessage());
            return List.of();
        }
    }

    private List<Post> post(JetstreamEvent event) {
        try {
            Post post = Posts.fromRecord(event.record(), event.did(), event.rkey(), event.cid(), null,
                    event.isoTime(), fieldProblems);
            frames.postsSeen(1);
            return List.of(post);
        } catch (RejectedRecordException e) {
            frames.badRecord(e.reason(), POSTS + "/" + Excerpt.of(event.rkey()), event.timeUs(), e.getMessage());
            return List.of();
        }
    }

    private void delete(JetstreamEvent event, DeliveryWatermark.Frame tracked) {
        try {
            frames.deleted(PostDelete.of(event.did(), event.rkey(), null, event.isoTime()), tracked);
        } catch (RejectedRecordException e) {
            frames.badRecord(e.reason(), POSTS + "/" + Excerpt.of(event.rkey()), event.timeUs(),
                    "delete: " + e.getMessage());
        }
    }

    /** Frees the decoder's zstd context; once the routes have stopped. */
    @Override
    public void close() {
        decoder.close();
    }
}
