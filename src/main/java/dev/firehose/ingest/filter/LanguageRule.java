package dev.firehose.ingest.filter;

import java.util.List;
import java.util.Set;

import dev.firehose.ingest.atproto.LanguageTags;
import dev.firehose.ingest.atproto.Post;

/**
 * Keeps posts that declare at least one wanted language, compared by primary subtag, case-insensitively
 * ({@code en-US}, {@code EN} and {@code en_GB} are {@code en}). The subtag is read by
 * {@link LanguageTags#primarySubtag}, as the NATS subject's language is, so a post kept for {@code en} is published
 * on {@code <prefix>.en}; a tag without a two- or three-letter primary subtag matches no wanted language. The
 * declared {@code langs} are the author's client's guess, not a detection: a post mislabelled by its client is
 * judged by its label.
 */
public final class LanguageRule implements PostRule {

    public static final String NOT_WANTED = "language";
    public static final String UNDECLARED = "language_undeclared";

    private final Set<String> wanted;
    private final boolean keepUndeclared;

    /** @param wanted lower-case primary subtags ({@code en}, {@code ja}); not empty */
    public LanguageRule(Set<String> wanted, boolean keepUndeclared) {
        this.wanted = Set.copyOf(wanted);
        this.keepUndeclared = keepUndeclared;
    }

    @Override
    public String check(Post post) {
        List<String> langs = post.langs();
        if (langs.isEmpty()) {
            return keepUndeclared ? null : UNDECLARED;
        }
        for (String tag : langs) {
            String primary = LanguageTags.primarySubtag(tag);
            if (primary != null && wanted.contains(primary)) {
                return null;
            }
        }
        return NOT_WANTED;
    }
}
