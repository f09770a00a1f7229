package dev.firehose.ingest.filter;

import dev.firehose.ingest.atproto.Post;

/**
 * Mention spam: more than {@code max} accounts mentioned, by facet {@code #mention} features or by
 * {@code @handle.domain} in the text, the larger count wins (facets usually mark the handles in the text).
 */
public final class MentionLimitRule implements PostRule {

    public static final String NAME = "too_many_mentions";

    private final int max;

    public MentionLimitRule(int max) {
        this.max = max;
    }

    @Override
    public String check(Post post) {
        if (post.mentions().size() > max || TextTokens.of(post.text()).mentions() > max) {
            return NAME;
        }
        return null;
    }
}
