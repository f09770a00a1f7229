package dev.firehose.ingest.config;

import java.time.Duration;
import java.util.Set;

/**
 * Which posts are kept: the settings of the rules in {@code dev.firehose.ingest.filter}. A limit of 0, an empty
 * language set, a zero window or an empty path turns that rule off.
 *
 * @param textRulesEnabled         {@code ENABLE_TEXT_FILTERING}: the length and spam rules (not the language and
 *                                 blocked-DID rules, which an operator configures explicitly)
 * @param languages                lower-case primary subtags ({@code en}, {@code ja}); empty = every language
 * @param listsCheckIntervalMillis how often the phrase and DID files are checked for changes
 */
public record FilterSettings(
        boolean textRulesEnabled,
        int minTextLength,
        int maxTextLength,
        Set<String> languages,
        boolean keepUndeclaredLanguage,
        int maxHashtags,
        int maxMentions,
        int maxLinks,
        boolean rejectOnlyTagsLinks,
        int maxRepeatedChars,
        Duration duplicateWindow,
        int duplicateMaxEntries,
        String phrasesFile,
        String blockedDidsFile,
        long listsCheckIntervalMillis) {

    public FilterSettings {
        languages = Set.copyOf(languages);
    }
}
