package dev.firehose.ingest.filter;

import java.util.List;
import java.util.stream.IntStream;

import dev.firehose.ingest.atproto.Post;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hashtag, mention and link limits: crafted spam over the limit, real posts and posts at the limit under it. */
class MarkupLimitRulesTest {

    private static List<String> numbered(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void hashtagStuffingInTheTextOrInFacets() {
        MarkupLimitRule rule = MarkupLimitRule.hashtags(10);
        String eleven = "Buy now " + String.join(" ", numbered("#deal", 11));
        assertThat(rule.check(TestPosts.text(eleven))).isEqualTo(MarkupLimitRule.TOO_MANY_TAGS);
        String ten = "Sunset walk " + String.join(" ", numbered("#photo", 10));
        assertThat(rule.check(TestPosts.text(ten))).isNull();
        // tags only in facets / the record's tags field (not in the text)
        Post hidden = TestPosts.full(TestPosts.AUTHOR, "just a normal looking post", List.of(), TestPosts.TIME,
                numbered("t", 11), List.of(), List.of());
        assertThat(rule.check(hidden)).isEqualTo(MarkupLimitRule.TOO_MANY_TAGS);
    }

    @Test
    void mentionSpam() {
        MarkupLimitRule rule = MarkupLimitRule.mentions(10);
        String text = String.join(" ", numbered("@victim", 11).stream().map(h -> h + ".bsky.social").toList())
                + " claim your free airdrop";
        assertThat(rule.check(TestPosts.text(text))).isEqualTo(MarkupLimitRule.TOO_MANY_MENTIONS);
        Post byFacet = TestPosts.full(TestPosts.AUTHOR, "hey all", List.of(), TestPosts.TIME, List.of(),
                numbered("did:plc:v", 11), List.of());
        assertThat(rule.check(byFacet)).isEqualTo(MarkupLimitRule.TOO_MANY_MENTIONS);
        assertThat(rule.check(TestPosts.text("thanks @alice.bsky.social and @bob.dev for the help"))).isNull();
    }

    @Test
    void linkFarms() {
        MarkupLimitRule rule = MarkupLimitRule.links(5);
        String text = "deals: " + String.join(" ", numbered("https://spam.example/", 6));
        assertThat(rule.check(TestPosts.text(text))).isEqualTo(MarkupLimitRule.TOO_MANY_LINKS);
        Post byFacet = TestPosts.full(TestPosts.AUTHOR, "deals here a b c d e f", List.of(), TestPosts.TIME,
                List.of(), List.of(), numbered("https://spam.example/", 6));
        assertThat(rule.check(byFacet)).isEqualTo(MarkupLimitRule.TOO_MANY_LINKS);
        assertThat(rule.check(TestPosts.text("two reads: https://a.example and https://b.example"))).isNull();
    }

    @Test
    void realPostsAreUnderEveryLimit() throws Exception {
        List<PostRule> rules = List.of(MarkupLimitRule.hashtags(10), MarkupLimitRule.mentions(10), MarkupLimitRule.links(5));
        List<Post> real = new java.util.ArrayList<>(RealPosts.fromAllRepos());
        real.addAll(RealPosts.fromFirehoseFixtures());
        for (PostRule rule : rules) {
            assertThat(real).allSatisfy(p -> assertThat(rule.check(p)).as(p.text()).isNull());
        }
    }
}
