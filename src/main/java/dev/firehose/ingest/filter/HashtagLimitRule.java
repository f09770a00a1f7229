package dev.firehose.ingest.filter;

import dev.firehose.ingest.atproto.Post;

/**
 * Hashtag stuffing: more than {@code max} hashtags. Counted both ways, the larger wins: the post's tags (facet
 * {@code #tag} features and the record's {@code tags}, which are not in the text) and the {@code #words} in the
 * text (a client may write no facets). Not added up: facets usually mark the very words in the text.
 */
public final class HashtagLimitRule implements PostRule {

    public static final String NAME = "too_many_tags";

    private final int max;

    public HashtagLimitRule(int max) {
        this.max = max;
    }

    @Override
    public String check(Post post) {
        if (post.tags().size() > max || TextTokens.of(post.text()).hashtags() > max) {
            return NAME;
        }
        return null;
    }
}
