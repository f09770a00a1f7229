package dev.firehose.ingest.pipeline;

import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FrameBatch;
import dev.firehose.ingest.delivery.PostOrigins;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A decode step of a source's route: a {@link FrameBatch} in (a bare {@code byte[]} is a batch of one, untracked),
 * the posts its frames create out, as one {@code List<Post>} in frame order, with their {@link PostOrigins} on the
 * exchange so each post can be held against its own frame. Subclasses decode one frame.
 */
abstract class FrameBatchProcessor implements Processor {

    @Override
    public final void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        FrameBatch frames = body instanceof FrameBatch batch ? batch
                : FrameBatch.of(exchange.getMessage().getBody(byte[].class), null);
        List<Post> posts = List.of();
        PostOrigins origins = null;
        for (int i = 0; i < frames.size(); i++) {
            DeliveryWatermark.Frame ticket = frames.ticket(i);
            List<Post> created = decode(frames.frame(i), ticket);
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
     * @param ticket the frame in the watermark, or null when untracked
     */
    abstract List<Post> decode(byte[] frame, DeliveryWatermark.Frame ticket);
}
