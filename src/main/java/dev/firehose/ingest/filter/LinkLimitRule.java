package dev.firehose.ingest.filter;

import dev.firehose.ingest.atproto.Post;

/**
 * Link farms: more than {@code max} links, by facet {@code #link} features or by {@code http(s)://} URLs in the
 * text, the larger count wins (facets usually mark the URLs in the text, shortened for display).
 */
public final class LinkLimitRule implements PostRule {

    public static final String NAME = "too_many_links";

    private final int max;

    public LinkLimitRule(int max) {
        this.max = max;
    }

    @Override
    public String check(Post post) {
        if (post.links().size() > max || TextTokens.of(post.text()).links() > max) {
            return NAME;
        }
        return null;
    }
}
