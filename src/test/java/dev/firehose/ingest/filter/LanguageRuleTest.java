package dev.firehose.ingest.filter;

import java.util.List;
import java.util.Set;

import dev.firehose.ingest.atproto.Post;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LanguageRuleTest {

    private static Post declaring(String... langs) {
        return TestPosts.post(TestPosts.AUTHOR, "a post in some language", List.of(langs), TestPosts.TIME);
    }

    @Test
    void primarySubtagCaseInsensitiveAnyDeclaredLanguage() {
        LanguageRule rule = new LanguageRule(Set.of("en", "pt"), true);
        assertThat(rule.check(declaring("en"))).isNull();
        assertThat(rule.check(declaring("en-US"))).isNull();
        assertThat(rule.check(declaring("EN-gb"))).isNull();
        assertThat(rule.check(declaring("pt_BR"))).isNull();
        assertThat(rule.check(declaring("ja", "en"))).isNull();
        assertThat(rule.check(declaring("ja"))).isEqualTo(LanguageRule.NOT_WANTED);
        assertThat(rule.check(declaring("eng"))).isEqualTo(LanguageRule.NOT_WANTED);
    }

    @Test
    void undeclaredIsKeptOrDroppedAsConfigured() {
        assertThat(new LanguageRule(Set.of("en"), true).check(declaring())).isNull();
        assertThat(new LanguageRule(Set.of("en"), false).check(declaring())).isEqualTo(LanguageRule.UNDECLARED);
    }

    @Test
    void realPostsAreJudgedByWhatTheyDeclare() throws Exception {
        LanguageRule english = new LanguageRule(Set.of("en"), false);
        List<Post> rsky = RealPosts.fromRepo("rsky-valid_repo.car");
        assertThat(rsky).isNotEmpty().allSatisfy(p -> assertThat(english.check(p)).isNull());
        // paul_staging's posts predate langs: none declared
        assertThat(RealPosts.fromRepo("paul_staging.repo.car"))
                .allSatisfy(p -> assertThat(english.check(p)).isEqualTo(LanguageRule.UNDECLARED));
        for (Post post : RealPosts.fromFirehoseFixtures()) {
            boolean english_ = post.langs().stream().anyMatch(l -> l.toLowerCase().startsWith("en"));
            assertThat(english.check(post)).as(post.langs().toString())
                    .isEqualTo(post.langs().isEmpty() ? LanguageRule.UNDECLARED
                            : english_ ? null : LanguageRule.NOT_WANTED);
        }
    }

    @Test
    void keptForALanguageMeansPublishedUnderIt() {
        for (String tag : List.of("en", "EN", "en-US", "en_GB", "pt_BR", "zh-Hant-TW", "ast", "yue-Hant")) {
            Post post = declaring(tag);
            String subject = post.subjectLanguage();
            assertThat(new LanguageRule(Set.of(subject), false).check(post)).as(tag).isNull();
        }
        // no primary subtag: published as "und", and kept for no wanted language, "und" included
        for (String tag : List.of("en.*", "abcdefgh", "x-klingon", "12", "ÉN", " en", "\u212Aa")) {
            Post post = declaring(tag);
            assertThat(post.subjectLanguage()).as(tag).isEqualTo(Post.UNDETERMINED_LANGUAGE);
            assertThat(new LanguageRule(Set.of("en", "und", "ab", "x", "12"), true).check(post)).as(tag)
                    .isEqualTo(LanguageRule.NOT_WANTED);
        }
    }
}
