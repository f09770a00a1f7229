package dev.firehose.ingest.filter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextLengthRuleTest {

    private final TextLengthRule rule = new TextLengthRule(10, 20);

    @Test
    void countsCodePointsNotCharsNorBytes() {
        assertThat(rule.check(TestPosts.text("Test"))).isEqualTo(TextLengthRule.TOO_SHORT);
        assertThat(rule.check(TestPosts.text("😍".repeat(10)))).isNull(); // 20 chars, 10 code points
        assertThat(rule.check(TestPosts.text("😍".repeat(9)))).isEqualTo(TextLengthRule.TOO_SHORT);
        assertThat(rule.check(TestPosts.text("x".repeat(20)))).isNull();
        assertThat(rule.check(TestPosts.text("x".repeat(21)))).isEqualTo(TextLengthRule.TOO_LONG);
    }
}
