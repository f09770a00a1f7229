package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.metrics.IngestMetrics;
import java.util.List;

import dev.firehose.ingest.atproto.FirehoseEvent;
import dev.firehose.ingest.atproto.FrameDecoder;
import dev.firehose.ingest.atproto.MalformedFrameException;
import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.atproto.RecordProblem;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns one binary relay frame into the posts it creates (a {@code List<Post>} body, often empty) and enters the
 * frame into the {@link DeliveryWatermark}. Bad input never stops the route: a malformed frame is counted,
 * logged with its seq and reason, and becomes an empty list, so the frames around it flow on.
 */
public final class FrameDecodeProcessor implements Processor {

    /** Exchange property holding the seq of a frame entered into the watermark; absent when none was. */
    public static final String FRAME_SEQ = "firehoseSeq";

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecodeProcessor.class);

    private final FrameDecoder decoder;
    private final DeliveryWatermark watermark;
    private final IngestMetrics metrics;
    private final RelayErrorPolicy relayErrors;
    private final BadFrameSink badFrames;
    private volatile String lastEventTime;

    public FrameDecodeProcessor(FrameDecoder decoder, DeliveryWatermark watermark, IngestMetrics metrics,
                                RelayErrorPolicy relayErrors, BadFrameSink badFrames) {
        this.decoder = decoder;
        this.watermark = watermark;
        this.metrics = metrics;
        this.relayErrors = relayErrors;
        this.badFrames = badFrames;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        byte[] frame = exchange.getMessage().getBody(byte[].class);
        List<Post> posts = List.of();
        try {
            FirehoseEvent event = decoder.decode(frame);
            metrics.increment(IngestMetrics.FRAMES, event.type() == null ? "error" : event.type());
            if (event.op() == -1) {
                metrics.increment(IngestMetrics.RELAY_ERRORS, event.errorName());
                relayErrors.onErrorFrame(event.errorName(), event.errorMessage());
            } else if ("#info".equals(event.type())) {
                // OutdatedCursor: the relay no longer has our cursor and starts from its oldest event; the gap
                // is real and only visible here.
                metrics.increment(IngestMetrics.RELAY_INFO, event.infoName());
                LOG.warn("Relay info {}: {}", event.infoName(), event.infoMessage());
            }
            if (event.hasSeq() && enter(exchange, event.seq())) {
                lastEventTime = event.time();
                posts = event.posts();
                metrics.add(IngestMetrics.POSTS_SEEN, null, posts.size());
                for (RecordProblem problem : event.recordProblems()) {
                    metrics.increment(IngestMetrics.RECORD_PROBLEMS, problem.reason().name());
                    try (MDC.MDCCloseable ignored = MDC.putCloseable("seq", Long.toString(event.seq()))) {
                        LOG.warn("Skipped record {} in frame seq={}: {} ({})", problem.path(), event.seq(),
                                problem.reason(), problem.detail());
                    }
                }
            }
        } catch (MalformedFrameException e) {
            metrics.increment(IngestMetrics.MALFORMED_FRAMES, e.reason().name());
            try (MDC.MDCCloseable ignored = MDC.putCloseable("seq", e.seq() < 0 ? "?" : Long.toString(e.seq()))) {
                LOG.warn("Skipped malformed frame seq={} ({} bytes): {}: {}", e.seq() < 0 ? "?" : e.seq(),
                        frame == null ? 0 : frame.length, e.reason(), e.getMessage());
            }
            badFrames.accept(frame, e);
            if (e.seq() >= 0) {
                // The seq is known, so the cursor can move past the frame: it is skipped, not retried.
                enter(exchange, e.seq());
            }
        }
        exchange.getMessage().setBody(posts);
    }

    /** The relay's time of the last frame taken (for the cursor lag), or null before the first. */
    public String lastEventTime() {
        return lastEventTime;
    }

    private boolean enter(Exchange exchange, long seq) {
        if (!watermark.frameStarted(seq)) {
            metrics.increment(IngestMetrics.FRAMES_REPLAYED);
            LOG.debug("Skipped frame seq={}: not after the last frame taken", seq);
            return false;
        }
        exchange.setProperty(FRAME_SEQ, seq);
        relayErrors.onFrameTaken();
        return true;
    }
}
