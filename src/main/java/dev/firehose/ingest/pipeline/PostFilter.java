package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.filter.PostRule;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code postFilter} bean of the route's filter EIP: the configured rules ({@link #accept}), and a way for a
 * rule written in the YAML to be counted like them ({@link #keepUnless}, {@link #reject}). Every drop is counted as
 * {@code posts_filtered|<rule>} ({@code firehose_posts_filtered_total{rule}}) and logged at DEBUG with the post.
 */
public final class PostFilter implements Predicate {

    private static final Logger LOG = LoggerFactory.getLogger(PostFilter.class);

    private final PostRule rules;
    private final IngestMetrics metrics;

    public PostFilter(PostRule rules, IngestMetrics metrics) {
        this.rules = rules;
        this.metrics = metrics;
    }

    /**
     * The route's filter step ({@code filter: ref: postFilter}): the configured rules on the exchange's post, called
     * directly rather than through the bean language's reflection (a post's cheapest way through the filter).
     */
    @Override
    public boolean matches(Exchange exchange) {
        return accept(exchange.getMessage().getBody(Post.class));
    }

    /** Whether {@code post} passes every configured rule; if not, the drop is counted under the rule's name. */
    public boolean accept(Post post) {
        String rule = rules.check(post);
        return rule == null || reject(post, rule);
    }

    /**
     * The configured rules and one written in the route: {@link #accept}, then {@link #keepUnless}. In the YAML:
     * {@code method: "acceptUnless(${body}, ${body.text.toLowerCase().contains('crypto')}, 'crypto')"}.
     */
    public boolean acceptUnless(Post post, boolean drop, String rule) {
        return accept(post) && keepUnless(post, drop, rule);
    }

    /**
     * A rule written in the route: {@code false}, counted and logged under {@code rule}, when {@code drop} is
     * true; otherwise {@code true}. Several can be chained with {@code &&} in a {@code simple} predicate.
     */
    public boolean keepUnless(Post post, boolean drop, String rule) {
        return !drop || reject(post, rule);
    }

    /** Counts and logs {@code post} as dropped by {@code rule}; always {@code false}, so it can end a predicate. */
    public boolean reject(Post post, String rule) {
        metrics.increment(IngestMetrics.POSTS_FILTERED, rule);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Post {} (seq {}) filtered by rule {}", post.uri(), post.seq(), rule);
        }
        return false;
    }
}
