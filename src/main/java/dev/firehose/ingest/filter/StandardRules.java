package dev.firehose.ingest.filter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.config.FilterSettings;

/**
 * The service's rules, from its settings, cheapest first: who (blocked DID), which language, how long, then the
 * spam rules on the text, and the duplicate check last, so that it only remembers posts every other rule kept.
 * With {@code ENABLE_TEXT_FILTERING=false} the text rules (length and spam) are left out.
 */
public final class StandardRules {

    private StandardRules() {
    }

    public static PostRules build(FilterSettings s) {
        List<PostRule> rules = new ArrayList<>();
        if (!s.blockedDidsFile().isEmpty()) {
            rules.add(new BlockedAuthorRule(
                    new ListFile(Path.of(s.blockedDidsFile()), did -> did, s.listsCheckIntervalMillis())));
        }
        if (!s.languages().isEmpty()) {
            rules.add(new LanguageRule(s.languages(), s.keepUndeclaredLanguage()));
        }
        if (s.textRulesEnabled()) {
            rules.add(new TextLengthRule(s.minTextLength(), s.maxTextLength()));
            if (s.maxHashtags() > 0) {
                rules.add(MarkupLimitRule.hashtags(s.maxHashtags()));
            }
            if (s.maxMentions() > 0) {
                rules.add(MarkupLimitRule.mentions(s.maxMentions()));
            }
            if (s.maxLinks() > 0) {
                rules.add(MarkupLimitRule.links(s.maxLinks()));
            }
            if (s.rejectOnlyTagsLinks()) {
                rules.add(new OnlyTagsLinksRule());
            }
            if (s.maxRepeatedChars() > 0) {
                rules.add(new RepeatedCharacterRule(s.maxRepeatedChars()));
            }
            if (!s.phrasesFile().isEmpty()) {
                rules.add(new PhraseRule(
                        new ListFile(Path.of(s.phrasesFile()), PhraseRule::normalize, s.listsCheckIntervalMillis())));
            }
            if (!s.duplicateWindow().isZero()) {
                rules.add(new DuplicateTextRule(s.duplicateWindow(), s.duplicateMaxEntries()));
            }
        }
        return new PostRules(rules);
    }
}
