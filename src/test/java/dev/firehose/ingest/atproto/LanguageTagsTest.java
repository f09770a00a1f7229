package dev.firehose.ingest.atproto;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The primary subtag shared by the NATS subject and the language filter (issue 10 item 5). */
class LanguageTagsTest {

    @Test
    void realTagsGiveTheirLowerCasedPrimarySubtag() {
        assertThat(LanguageTags.primarySubtag("en")).isEqualTo("en");
        assertThat(LanguageTags.primarySubtag("en-US")).isEqualTo("en");
        assertThat(LanguageTags.primarySubtag("EN")).isEqualTo("en");
        assertThat(LanguageTags.primarySubtag("En-gb")).isEqualTo("en");
        assertThat(LanguageTags.primarySubtag("en_GB")).isEqualTo("en");
        assertThat(LanguageTags.primarySubtag("pt-BR")).isEqualTo("pt");
        assertThat(LanguageTags.primarySubtag("zh-Hant-TW")).isEqualTo("zh");
        assertThat(LanguageTags.primarySubtag("yue-Hant")).isEqualTo("yue");
        assertThat(LanguageTags.primarySubtag("ast")).isEqualTo("ast");
        assertThat(LanguageTags.primarySubtag("JA")).isEqualTo("ja");
        assertThat(LanguageTags.primarySubtag("und")).isEqualTo("und");
        assertThat(LanguageTags.primarySubtag("es-419")).isEqualTo("es");
    }

    @Test
    void thousandsOfBogusTagsGiveNone() {
        Set<String> bogus = bogusTags(5_000, 13);
        assertThat(bogus).hasSize(5_000);
        for (String tag : bogus) {
            assertThat(LanguageTags.primarySubtag(tag)).as("\"%s\"", tag).isNull();
            assertThat(post(tag).subjectLanguage()).as("\"%s\"", tag).isEqualTo(Post.UNDETERMINED_LANGUAGE);
        }
        assertThat(LanguageTags.primarySubtag(null)).isNull();
    }

    /**
     * Distinct tags without a 2-3 ASCII-letter primary subtag: empty, digits, one letter, 4-8 letters, a bad
     * separator or punctuation, whitespace, non-ASCII letters (including ones that lower-case to ASCII).
     */
    static Set<String> bogusTags(int count, long seed) {
        List<String> fixed = List.of("", "-", "_", "-x", "_en", "x", "i-klingon", "x-private", "e", "1", "12", "419",
                "0en", "e1", "en1", "eng1", "abcd", "abcdefgh", "abcdefghi", "Latn", "en.*", "en*", "en>", "en us",
                " en", "en ", "en\t", "en\n", "en\r\n", "en;", "en,fr", "en/US", "e-n", "en.US", "en:US", "ÉN", "ét",
                "日本", "中文", "\u212Aa", "a\u212A", "İt", "ıt", "ﬀ", "ǅa", "en\u0000", "\u0000", "\ud800",
                "\ud83d\ude00", "ｅｎ", "en\u00ad", "e\u0301n", "ру", "עב", "en\u200b", "\u2028en");
        Set<String> tags = new LinkedHashSet<>(fixed);
        Random random = new Random(seed);
        String punctuation = ".*>$%#@!~^&()[]{}|\\/:;,'\"`=+? \t";
        for (int i = 0; tags.size() < count && i < count * 20; i++) {
            StringBuilder tag = new StringBuilder();
            switch (random.nextInt(5)) {
                case 0 -> { // digits, possibly mixed with letters
                    tag.append(random.nextInt(1000));
                    if (random.nextBoolean()) {
                        tag.append(letters(random, 1 + random.nextInt(3)));
                    }
                }
                case 1 -> tag.append(letters(random, 4 + random.nextInt(5))); // 4-8 letters
                case 2 -> tag.append(letters(random, 1 + random.nextInt(3)))
                        .append(punctuation.charAt(random.nextInt(punctuation.length())))
                        .append(letters(random, random.nextInt(3)));
                case 3 -> { // a non-ASCII letter somewhere in the first three
                    int at = random.nextInt(3);
                    tag.append(letters(random, at)).append((char) (0xC0 + random.nextInt(0x2000)))
                            .append(letters(random, random.nextInt(3)));
                }
                default -> tag.append(letters(random, 4 + random.nextInt(5))).append('-')
                        .append(letters(random, 2)); // e.g. "abcde-US"
            }
            if (tag.length() > 0 && random.nextInt(4) == 0) {
                tag.append("-US");
            }
            tags.add(tag.toString());
        }
        return tags;
    }

    private static String letters(Random random, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) ('a' + random.nextInt(26));
            s.append(random.nextBoolean() ? c : Character.toUpperCase(c));
        }
        return s.toString();
    }

    private static Post post(String lang) {
        return new Post("u", "c", "a", "r", "t", null, List.of(lang), 1L, "t", null, null, null, null, null, null);
    }
}
