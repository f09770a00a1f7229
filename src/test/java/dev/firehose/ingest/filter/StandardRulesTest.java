package dev.firehose.ingest.filter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.firehose.ingest.atproto.Post;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Which rules the settings switch on, and what ENABLE_TEXT_FILTERING=false leaves. */
class StandardRulesTest {

    @TempDir
    Path tmp;

    private static final String FLOOD = "buy now " + "🚀".repeat(40);

    @Test
    void theDefaultsCatchEachKindOfSpam() {
        PostRules rules = ShippedRules.defaults();
        assertThat(rules.check(TestPosts.text("Test"))).isEqualTo("too_short");
        assertThat(rules.check(TestPosts.text("x".repeat(1001)))).isEqualTo("too_long");
        assertThat(rules.check(TestPosts.text("win big #a #b #c #d #e #f #g #h #i #j #k"))).isEqualTo("too_many_tags");
        assertThat(rules.check(TestPosts.text("#nft #crypto #airdrop https://x.example"))).isEqualTo("only_tags_links");
        assertThat(rules.check(TestPosts.text(FLOOD))).isEqualTo("repeated_character");
        String copy = "Check my profile for something special";
        assertThat(rules.check(TestPosts.text(copy))).isNull();
        assertThat(rules.check(TestPosts.text(copy))).isEqualTo("duplicate");
    }

    @Test
    void textFilteringOffLeavesOnlyTheLanguageAndBlockedDidRules() throws Exception {
        Path dids = Files.writeString(tmp.resolve("dids.txt"), "did:plc:blocked\n");
        PostRules rules = ShippedRules.with(Map.of("filter.enabled", "false", "filter.languages", "en",
                "filter.keep-undeclared-language", "false", "filter.blocked-dids-file", dids.toString()));
        assertThat(rules.size()).isEqualTo(2);
        assertThat(rules.check(TestPosts.text("Test"))).isEqualTo("language_undeclared");
        Post english = TestPosts.post(TestPosts.AUTHOR, FLOOD, List.of("en"), TestPosts.TIME);
        assertThat(rules.check(english)).isNull();
        assertThat(rules.check(TestPosts.post("did:plc:blocked", "hello", List.of("en"), TestPosts.TIME)))
                .isEqualTo("blocked_did");
    }

    @Test
    void aZeroLimitTurnsARuleOff() {
        PostRules rules = ShippedRules.with(Map.of("filter.max-repeated-chars", "0", "filter.duplicate-window", "0",
                "filter.reject-only-tags-links", "false", "filter.max-hashtags", "0"));
        assertThat(rules.check(TestPosts.text(FLOOD))).isNull();
        assertThat(rules.check(TestPosts.text("#nft #crypto #airdrop https://x.example"))).isNull();
        assertThat(rules.check(TestPosts.text(FLOOD))).isNull();
        assertThat(rules.size()).isEqualTo(3); // length, mentions, links
    }
}
