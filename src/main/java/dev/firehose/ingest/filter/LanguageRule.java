package dev.firehose.ingest.filter;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.firehose.ingest.atproto.Post;

/**
 * Keeps posts that declare at least one wanted language, compared by primary subtag, case-insensitively
 * ({@code en-US} and {@code EN} are {@code en}). The declared {@code langs} are the author's client's guess, not a
 * detection: a post mislabelled by its client is judged by its label.
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
            if (wanted.contains(primarySubtag(tag))) {
                return null;
            }
        }
        return NOT_WANTED;
    }

    static String primarySubtag(String tag) {
        int dash = tag.indexOf('-');
        if (dash < 0) {
            dash = tag.indexOf('_'); // en_US: not BCP-47, but some clients write it
        }
        String primary = dash >= 0 ? tag.substring(0, dash) : tag;
        return primary.trim().toLowerCase(Locale.ROOT);
    }
}
