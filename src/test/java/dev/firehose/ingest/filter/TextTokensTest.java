package dev.firehose.ingest.filter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextTokensTest {

    @Test
    void hashtagsMentionsLinksAndWords() {
        TextTokens t = TextTokens.of("New drawing #art #日本 (@alice.bsky.social) see https://x.example/a, #1 # @home");
        assertThat(t.hashtags()).isEqualTo(2);
        assertThat(t.mentions()).isEqualTo(1);
        assertThat(t.links()).isEqualTo(1);
        // New, drawing, see, #1, @home (a lone # has no letter or digit)
        assertThat(t.words()).isEqualTo(5);
    }

    @Test
    void bareDomainsAndEmailLikeTokensAreWords() {
        TextTokens t = TextTokens.of("test atproto.com cool example.com me@example.com");
        assertThat(t.links()).isZero();
        assertThat(t.mentions()).isZero();
        assertThat(t.words()).isEqualTo(5);
    }

    @Test
    void handlesEndingASentenceAndFullWidthHash() {
        TextTokens t = TextTokens.of("thanks @bob.dev. ＃猫 HTTPS://EXAMPLE.COM");
        assertThat(t.mentions()).isEqualTo(1);
        assertThat(t.hashtags()).isEqualTo(1);
        assertThat(t.links()).isEqualTo(1);
        assertThat(t.words()).isEqualTo(1);
    }

    @Test
    void emojiAndPunctuationAreNotWords() {
        assertThat(TextTokens.of("🔥🔥 !!! — …").words()).isZero();
        assertThat(TextTokens.of("").words()).isZero();
    }
}
