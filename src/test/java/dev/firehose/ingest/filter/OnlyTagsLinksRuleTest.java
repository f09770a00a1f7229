package dev.firehose.ingest.filter;

import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OnlyTagsLinksRuleTest {

    private final OnlyTagsLinksRule rule = new OnlyTagsLinksRule();

    @Test
    void nothingButTagsLinksAndMentions() {
        for (String spam : List.of("#nft #crypto #airdrop https://x.example", "@a.bsky.social @b.bsky.social 🔥🔥",
                "https://spam.example/landing", "#followback #f4f #likeforlike !!!")) {
            assertThat(rule.check(TestPosts.text(spam))).as(spam).isEqualTo(OnlyTagsLinksRule.NAME);
        }
    }

    @Test
    void anyWordKeepsAPost() {
        for (String ok : List.of("new drawing #art", "read this https://x.example", "🎉🎊🥳👏🎂🎈🎁",
                "test atproto.com", "今日は#猫の日 #猫")) {
            assertThat(rule.check(TestPosts.text(ok))).as(ok).isNull();
        }
    }

    @Test
    void realPostsHaveWords() throws Exception {
        List<Post> real = new ArrayList<>(RealPosts.fromAllRepos());
        real.addAll(RealPosts.fromFirehoseFixtures());
        assertThat(real).allSatisfy(p -> assertThat(rule.check(p)).as(p.text()).isNull());
    }
}
