package dev.firehose.ingest.filter;

import java.util.Locale;
import java.util.Set;

import dev.firehose.ingest.atproto.Post;

/**
 * Known spam phrases from an operator's list ({@code FILTER_PHRASES_FILE}): a post whose text contains one,
 * case-insensitively, anywhere (a substring: {@code "free crypto"} also matches {@code "FREE CRYPTO!!"}). A linear
 * scan per phrase, fine for hundreds of phrases; thousands would want Aho-Corasick.
 */
public final class PhraseRule implements PostRule {

    public static final String NAME = "phrase";

    private final ListFile phrases;

    /** @param phrases entries lower-cased with {@link #normalize} */
    public PhraseRule(ListFile phrases) {
        this.phrases = phrases;
    }

    public static String normalize(String phrase) {
        return phrase.toLowerCase(Locale.ROOT);
    }

    @Override
    public String check(Post post) {
        Set<String> list = phrases.entries();
        if (list.isEmpty()) {
            return null;
        }
        String text = post.text().toLowerCase(Locale.ROOT);
        for (String phrase : list) {
            if (text.contains(phrase)) {
                return NAME;
            }
        }
        return null;
    }
}
