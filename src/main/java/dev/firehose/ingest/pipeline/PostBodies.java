package dev.firehose.ingest.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import org.apache.camel.Exchange;

/** The posts a message body carries: one post, a list of posts, or a list of exchanges each carrying one. */
final class PostBodies {

    private PostBodies() {
    }

    static List<Post> of(Object body) {
        if (body instanceof Post post) {
            return List.of(post);
        }
        List<Post> posts = new ArrayList<>();
        if (body instanceof Collection<?> items) {
            for (Object item : items) {
                if (item instanceof Post post) {
                    posts.add(post);
                } else if (item instanceof Exchange exchange && exchange.getMessage().getBody() instanceof Post p) {
                    posts.add(p); // GroupedExchangeAggregationStrategy
                }
            }
        }
        return posts;
    }
}
