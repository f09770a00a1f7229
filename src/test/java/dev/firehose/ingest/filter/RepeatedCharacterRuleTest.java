package dev.firehose.ingest.filter;

import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedCharacterRuleTest {

    private final RepeatedCharacterRule rule = new RepeatedCharacterRule(30);

    @Test
    void runsAreCountedInGraphemeLikeUnits() {
        assertThat(RepeatedCharacterRule.longestRun("noooooo!")).isEqualTo(6);
        assertThat(RepeatedCharacterRule.longestRun("🚀🚀🚀 go")).isEqualTo(3);
        // a family (four people joined by ZWJ) is one unit; so is a thumbs-up with a skin tone, and a flag
        String family = "👨‍👩‍👧‍👦";
        assertThat(RepeatedCharacterRule.longestRun(family.repeat(4))).isEqualTo(4);
        assertThat(RepeatedCharacterRule.longestRun("👍🏽".repeat(5))).isEqualTo(5);
        assertThat(RepeatedCharacterRule.longestRun("🇯🇵".repeat(3))).isEqualTo(3);
        assertThat(RepeatedCharacterRule.longestRun("❤️❤️❤️")).isEqualTo(3);
        // different skin tones are different units
        assertThat(RepeatedCharacterRule.longestRun("👍🏽👍🏿")).isEqualTo(1);
        assertThat(RepeatedCharacterRule.longestRun("hahahaha")).isEqualTo(1);
    }

    @Test
    void floodsOverTheLimit() {
        for (String spam : List.of("FREE " + "🚀".repeat(31), "wow" + "!".repeat(40), "a".repeat(31),
                "👨‍👩‍👧‍👦".repeat(31), "gm " + "🇺🇸".repeat(31))) {
            assertThat(rule.check(TestPosts.text(spam))).as(spam).isEqualTo(RepeatedCharacterRule.NAME);
        }
    }

    @Test
    void atTheLimitAndWhitespaceArePassed() {
        assertThat(rule.check(TestPosts.text("so good " + "😍".repeat(30)))).isNull();
        assertThat(rule.check(TestPosts.text("spoiler below" + "\n".repeat(60) + "it was him"))).isNull();
        assertThat(rule.check(TestPosts.text("━━━━━━━━━━━━━━━━━━━━ chapter one"))).isNull();
    }

    @Test
    void realPostsHaveNoFloods() throws Exception {
        List<Post> real = new ArrayList<>(RealPosts.fromAllRepos());
        real.addAll(RealPosts.fromFirehoseFixtures());
        assertThat(real).allSatisfy(p -> assertThat(rule.check(p)).as(p.text()).isNull());
    }
}
