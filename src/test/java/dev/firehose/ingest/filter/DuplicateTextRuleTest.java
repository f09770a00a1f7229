package dev.firehose.ingest.filter;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateTextRuleTest {

    private static final Instant T0 = Instant.parse("2025-04-16T21:30:00Z");
    private static final String SPAM = "Check my profile for something special 💋";

    private final DuplicateTextRule rule = new DuplicateTextRule(Duration.ofMinutes(10), 1000, () -> 0L);

    private static Post at(String author, String text, Duration after) {
        return TestPosts.post(author, text, List.of(), T0.plus(after).toString());
    }

    @Test
    void theSameTextBySameAuthorWithinTheWindowIsACopy() {
        assertThat(rule.check(at("did:plc:bot", SPAM, Duration.ZERO))).isNull();
        assertThat(rule.check(at("did:plc:bot", SPAM, Duration.ofSeconds(30)))).isEqualTo(DuplicateTextRule.NAME);
        // case and whitespace do not make it new
        assertThat(rule.check(at("did:plc:bot", "  check MY profile\nfor  something special 💋 ", Duration.ofMinutes(1))))
                .isEqualTo(DuplicateTextRule.NAME);
        // another author may say the same
        assertThat(rule.check(at("did:plc:human", SPAM, Duration.ofMinutes(1)))).isNull();
    }

    @Test
    void eachCopyRestartsTheWindowAndAQuietAuthorIsForgiven() {
        assertThat(rule.check(at("did:plc:bot", SPAM, Duration.ZERO))).isNull();
        // every 6 minutes, for an hour: each within 10 minutes of the previous copy
        for (int minute = 6; minute <= 60; minute += 6) {
            assertThat(rule.check(at("did:plc:bot", SPAM, Duration.ofMinutes(minute)))).isEqualTo(DuplicateTextRule.NAME);
        }
        assertThat(rule.check(at("did:plc:bot", SPAM, Duration.ofMinutes(71)))).isNull();
    }

    @Test
    void theSamePostSeenAgainIsNotACopy() {
        Post post = at("did:plc:someone", SPAM, Duration.ZERO);
        assertThat(rule.check(post)).isNull();
        assertThat(rule.check(post)).isNull(); // replayed after a reconnect: same URI
    }

    @Test
    void aRepostWithAnAttachmentAddedIsNotACopy() {
        Post plain = at("did:plc:someone", "Test example.com ", Duration.ZERO);
        Post withCard = new Post(plain.uri() + "x", plain.cid(), plain.author(), plain.rkey() + "x", "Test example.com",
                plain.createdAt(), plain.langs(), 2L, T0.plusSeconds(6).toString(), null, List.of(), List.of(),
                List.of(), "app.bsky.embed.external", List.of());
        assertThat(rule.check(plain)).isNull();
        assertThat(rule.check(withCard)).isNull();
    }

    @Test
    void shortTextsAreNeverCopies() {
        for (String text : List.of("gm", "Test", "", "Probs not")) {
            assertThat(rule.check(at("did:plc:someone", text, Duration.ZERO))).isNull();
            assertThat(rule.check(at("did:plc:someone", text, Duration.ofSeconds(5)))).as(text).isNull();
        }
    }

    @Test
    void memoryIsBoundedByEntriesAndByTheWindow() {
        DuplicateTextRule small = new DuplicateTextRule(Duration.ofMinutes(10), 100, () -> 0L);
        for (int i = 0; i < 10_000; i++) {
            small.check(at("did:plc:a" + i, SPAM, Duration.ofMillis(i)));
        }
        assertThat(small.size()).isEqualTo(100);
        // the oldest were evicted: their copies pass now, the newest ones still do not
        assertThat(small.check(at("did:plc:a0", SPAM, Duration.ofSeconds(11)))).isNull();
        assertThat(small.check(at("did:plc:a9999", SPAM, Duration.ofSeconds(11)))).isEqualTo(DuplicateTextRule.NAME);

        // once the window has passed, one more post clears every expired entry
        small.check(at("did:plc:late", SPAM, Duration.ofMinutes(30)));
        assertThat(small.size()).isEqualTo(1);
    }

    @Test
    void withoutARelayTimeTheWallClockIsUsed() {
        long[] now = {T0.toEpochMilli()};
        DuplicateTextRule clocked = new DuplicateTextRule(Duration.ofMinutes(10), 1000, () -> now[0]);
        assertThat(clocked.check(TestPosts.post("did:plc:bot", SPAM, List.of(), null))).isNull();
        now[0] += Duration.ofMinutes(5).toMillis();
        assertThat(clocked.check(TestPosts.post("did:plc:bot", SPAM, List.of(), "not a time")))
                .isEqualTo(DuplicateTextRule.NAME);
        now[0] += Duration.ofMinutes(11).toMillis();
        assertThat(clocked.check(TestPosts.post("did:plc:bot", SPAM, List.of(), null))).isNull();
    }

    /** Issue 13 item 2: these parse as instants but have no epoch millis; the rule must not throw on them. */
    private static final List<String> OUT_OF_RANGE = List.of("+500000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z");

    @Test
    void aTimeWithoutEpochMillisIsJudgedAtTheLastRelayTimeAndNeverThrows() {
        for (String time : OUT_OF_RANGE) {
            long[] wall = {1_000_000L};
            DuplicateTextRule clocked = new DuplicateTextRule(Duration.ofMinutes(10), 1000, () -> wall[0]);
            assertThat(clocked.check(at("did:plc:bot", SPAM, Duration.ZERO))).isNull();
            assertThat(clocked.check(at("did:plc:other", SPAM, Duration.ofSeconds(1)))).isNull();
            // 30 s of wall clock later the same text again, with the unusable time: a copy, judged at T0 + 1 s + 30 s
            wall[0] += 30_000;
            assertThat(clocked.check(TestPosts.post("did:plc:bot", SPAM, List.of(), time))).as(time)
                    .isEqualTo(DuplicateTextRule.NAME);
            // and the window was not flushed by it: both entries are still held
            assertThat(clocked.size()).isEqualTo(2);
            // an hour of wall clock later the estimate has moved on with it: no longer a copy
            wall[0] += Duration.ofHours(1).toMillis();
            assertThat(clocked.check(TestPosts.post("did:plc:other", SPAM, List.of(), time))).as(time).isNull();
        }
    }

    @Test
    void outOfRangeTimesBeforeAnyUsableTimeFallBackToTheWallClock() {
        long[] now = {T0.toEpochMilli()};
        DuplicateTextRule clocked = new DuplicateTextRule(Duration.ofMinutes(10), 1000, () -> now[0]);
        assertThat(clocked.check(TestPosts.post("did:plc:bot", SPAM, List.of(), OUT_OF_RANGE.get(0)))).isNull();
        now[0] += Duration.ofMinutes(5).toMillis();
        assertThat(clocked.check(TestPosts.post("did:plc:bot", SPAM, List.of(), OUT_OF_RANGE.get(1))))
                .isEqualTo(DuplicateTextRule.NAME);
    }

    @Test
    void relayMillisIsTotal() {
        for (String time : List.of("+500000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                "+1000000000-12-31T23:59:59.999999999Z", "10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z",
                "2025-13-01T00:00:00Z", "", "2025-04-16", "\u0000")) {
            assertThat(DuplicateTextRule.relayMillis(time)).as(time).isEqualTo(Long.MIN_VALUE);
        }
        assertThat(DuplicateTextRule.relayMillis(null)).isEqualTo(Long.MIN_VALUE);
        assertThat(DuplicateTextRule.relayMillis("2025-04-16T21:30:00Z")).isEqualTo(T0.toEpochMilli());
        assertThat(DuplicateTextRule.relayMillis("2025-04-16T23:30:00+02:00")).isEqualTo(T0.toEpochMilli());
        assertThat(DuplicateTextRule.relayMillis("9999-12-31T23:59:59.999Z"))
                .isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli());
    }
}
