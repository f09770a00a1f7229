package dev.firehose.ingest.filter;

import java.util.function.ToIntFunction;

import dev.firehose.ingest.atproto.Post;

/**
 * Too much markup of one kind: more than {@code max} hashtags, mentions or links. Each is counted twice, from what
 * the record declares (facets, and the record's own {@code tags}) and from the text itself (a client may write
 * no facets), and the larger count wins. The two are not added up: facets usually mark the very words in the text.
 */
public final class MarkupLimitRule implements PostRule {

    public static final String TOO_MANY_TAGS = "too_many_tags";
    public static final String TOO_MANY_MENTIONS = "too_many_mentions";
    public static final String TOO_MANY_LINKS = "too_many_links";

    private final String name;
    private final int max;
    private final ToIntFunction<Post> declared;
    private final ToIntFunction<TextTokens> written;

    private MarkupLimitRule(String name, int max, ToIntFunction<Post> declared, ToIntFunction<TextTokens> written) {
        this.name = name;
        this.max = max;
        this.declared = declared;
        this.written = written;
    }

    /** Hashtag stuffing: facet {@code #tag} features and the record's {@code tags} (not in the text), or {@code #words}. */
    public static MarkupLimitRule hashtags(int max) {
        return new MarkupLimitRule(TOO_MANY_TAGS, max, p -> p.tags().size(), TextTokens::hashtags);
    }

    /** Mention spam: facet {@code #mention} features, or {@code @handle.domain} in the text. */
    public static MarkupLimitRule mentions(int max) {
        return new MarkupLimitRule(TOO_MANY_MENTIONS, max, p -> p.mentions().size(), TextTokens::mentions);
    }

    /** Link farms: facet {@code #link} features, or {@code http(s)://} URLs in the text. */
    public static MarkupLimitRule links(int max) {
        return new MarkupLimitRule(TOO_MANY_LINKS, max, p -> p.links().size(), TextTokens::links);
    }

    @Override
    public String check(Post post) {
        if (declared.applyAsInt(post) > max || written.applyAsInt(TextTokens.of(post.text())) > max) {
            return name;
        }
        return null;
    }
}
