package dev.firehose.ingest.pipeline;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.firehose.ingest.atproto.FieldProblem;
import dev.firehose.ingest.atproto.PostDelete;
import dev.firehose.ingest.atproto.RecordProblem;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.LogThrottle;
import dev.firehose.ingest.delivery.PostDeletes;
import dev.firehose.ingest.metrics.IngestMetrics;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * What every decode step does around its codec, written once for both sources: a decoded frame's position goes to
 * the {@link DeliveryWatermark} (a replay is counted and skipped), its time is kept for the cursor lag, and bad input
 * is counted by reason, logged (throttled) and, for a malformed frame, dead-lettered (rules D3, D7); post deletes go
 * to {@link PostDeletes} ({@code PUBLISH_DELETES}). Counters are resolved here once, so a frame costs no map look-up.
 */
final class DecodeBookkeeping {

    /** The decode step's own logger: its lines keep its name. */
    private final Logger log;
    private final DeliveryWatermark watermark;
    private final IngestMetrics metrics;
    private final DeadLetters deadLetters;
    private final PostDeletes deletes;
    /** What a position is called in log lines and their context: {@code seq} or {@code time_us}. */
    private final String positionName;
    private final LongAdder replayed;
    private final LongAdder postsSeen;
    private final Map<RecordProblem.Reason, LongAdder> badRecords = new EnumMap<>(RecordProblem.Reason.class);
    private final LogThrottle malformedLog = new LogThrottle(20, 10_000);
    private final LogThrottle badRecordLog = new LogThrottle(20, 10_000);
    private volatile String lastEventTime;

    DecodeBookkeeping(Logger log, DeliveryWatermark watermark, IngestMetrics metrics, DeadLetters deadLetters,
                      PostDeletes deletes, String positionName) {
        this.log = log;
        this.deletes = deletes;
        this.watermark = watermark;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.positionName = positionName;
        this.replayed = metrics.counter(IngestMetrics.FRAMES_REPLAYED);
        this.postsSeen = metrics.counter(IngestMetrics.POSTS_SEEN);
        for (RecordProblem.Reason reason : RecordProblem.Reason.values()) {
            badRecords.put(reason, metrics.counter(IngestMetrics.RECORD_PROBLEMS, reason.name()));
        }
    }

    /**
     * Gives the frame its position, once it decoded completely (rule D3); false for a replay (a position the watermark
     * refuses), which is counted and must be skipped. A frame outside the consumer ({@code tracked} null) is taken.
     */
    boolean positioned(DeliveryWatermark.Frame tracked, long position) {
        if (tracked != null && !watermark.frameDecoded(tracked, position)) {
            replayed.increment();
            log.debug("Skipped frame {}={}: not after the last frame decoded", positionName, position);
            return false;
        }
        return true;
    }

    /** The source's time of the frame just positioned. */
    void eventTime(String time) {
        lastEventTime = time;
    }

    String lastEventTime() {
        return lastEventTime;
    }

    void postsSeen(int posts) {
        postsSeen.add(posts);
    }

    /** Whether post deletes are published ({@code PUBLISH_DELETES}); if not, a decode step need not build them. */
    boolean publishesDeletes() {
        return deletes != PostDeletes.NONE;
    }

    /** A post delete of the frame {@code tracked}, which it holds until its PubAck (rule D1). */
    void deleted(PostDelete delete, DeliveryWatermark.Frame tracked) {
        deletes.deleted(delete, tracked);
    }

    /** An optional field of a post adjusted to its cap: {@code firehose_post_fields_dropped_total{field}}. */
    void fieldProblem(FieldProblem problem) {
        metrics.add(IngestMetrics.POST_FIELDS_DROPPED, problem.field(), problem.values());
    }

    /** A post record skipped as bad input: {@code firehose_bad_records_total{reason}}, logged (throttled). */
    void badRecord(RecordProblem.Reason reason, String path, long position, String detail) {
        badRecords.get(reason).increment();
        long suppressed = badRecordLog.admit();
        if (suppressed >= 0) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable(positionName, Long.toString(position))) {
                log.warn("Skipped record {} in frame {}={}: {} ({}){}", path, positionName, position, reason, detail,
                        LogThrottle.suffix(suppressed));
            }
        }
    }

    /**
     * A frame that did not decode: counted under its reason ({@code counter}), logged (throttled) and dead-lettered
     * raw, with the position its bytes claim ({@code -1} when none was read), which it is not given (rule D3).
     */
    void malformed(LongAdder counter, byte[] frame, String reason, long claimedPosition, String message) {
        counter.increment();
        long suppressed = malformedLog.admit();
        if (suppressed >= 0) {
            String position = claimedPosition < 0 ? "?" : Long.toString(claimedPosition);
            try (MDC.MDCCloseable ignored = MDC.putCloseable(positionName, position)) {
                log.warn("Skipped malformed frame {}={} ({} bytes): {}{}", positionName, position,
                        frame == null ? 0 : frame.length, message, LogThrottle.suffix(suppressed));
            }
        }
        deadLetters.frame(frame, reason, claimedPosition);
    }
}
