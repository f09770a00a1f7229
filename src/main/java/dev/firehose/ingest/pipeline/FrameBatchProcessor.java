package dev.firehose.ingest.pipeline;

import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FrameBatch;
import dev.firehose.ingest.delivery.PostOrigins;
import org.apache.camel.Exchange;

/**
 * A source's decode step, the first of its route ({@link FrameDecodeProcessor} for the relay,
 * {@link JetstreamDecodeProcessor} for Jetstream): a {@link FrameBatch} in (a bare {@code byte[]} is a batch of one
 * binary frame, untracked), the posts its frames create out, as one {@code List<Post>} in frame order, with their
 * {@link PostOrigins} on the exchange so each post can be held against its own frame. Subclasses decode one frame;
 * what they do around their codec (positions, replays, bad input, deletes, the last event time) is
 * {@link DecodeBookkeeping}, shared.
 */
abstract class FrameBatchProcessor implements SourceDecoder {

    /** The subclass's bookkeeping: its counters, its logger, its position name. */
    final DecodeBookkeeping frames;

    FrameBatchProcessor(DecodeBookkeeping frames) {
        this.frames = frames;
    }

    @Override
    public final void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        FrameBatch batch = body instanceof FrameBatch b ? b
                : FrameBatch.of(exchange.getMessage().getBody(byte[].class), null);
        List<Post> posts = List.of();
        PostOrigins origins = null;
        for (int i = 0; i < batch.size(); i++) {
            DeliveryWatermark.Frame ticket = batch.ticket(i);
            List<Post> created = decode(batch.frame(i), batch.isText(i), ticket);
            if (created.isEmpty()) {
                continue;
            }
            if (posts.isEmpty()) {
                posts = new ArrayList<>(created.size());
            }
            posts.addAll(created);
            if (ticket != null) {
                if (origins == null) {
                    origins = new PostOrigins();
                }
                for (Post post : created) {
                    origins.add(post, ticket);
                }
            }
        }
        if (origins != null) {
            exchange.setProperty(PostOrigins.PROPERTY, origins);
        }
        exchange.getMessage().setBody(posts);
    }

    /**
     * The posts one frame creates (often none); tells the watermark the frame's position when it decoded completely.
     * Never throws for bad input: that is counted and skipped here.
     *
     * @param text   whether the frame came as a websocket text message (else binary)
     * @param ticket the frame in the watermark, or null when untracked
     */
    abstract List<Post> decode(byte[] frame, boolean text, DeliveryWatermark.Frame ticket);

    /** The source's time of the last frame decoded (for the cursor lag), or null before the first. */
    @Override
    public final String lastEventTime() {
        return frames.lastEventTime();
    }
}
