package dev.firehose.ingest.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped defaults let ordinary posts through: every real post of the fixtures passes every rule but the
 * length rule (whose 10-code-point minimum, the original service's, drops "Test" and the image-only posts), run
 * through one set of rules in posting order, so the duplicate check sees them as a live stream would.
 */
class DefaultsKeepRealPostsTest {

    /** Rule name by post URI and text, for every post the defaults drop. */
    private static Map<String, String> dropped(List<Post> posts) {
        PostRules rules = ShippedRules.defaults();
        Map<String, String> out = new LinkedHashMap<>();
        for (Post post : posts) {
            String rule = rules.check(post);
            if (rule != null) {
                out.put(post.uri() + " " + post.text(), rule);
            }
        }
        return out;
    }

    /** The drops that are not the length rule's: none expected. */
    private static Map<String, String> notTooShort(Map<String, String> dropped) {
        Map<String, String> out = new LinkedHashMap<>(dropped);
        out.values().removeIf(TextLengthRule.TOO_SHORT::equals);
        return out;
    }

    private static long shorterThanTen(List<Post> posts) {
        return posts.stream().filter(p -> p.text().codePointCount(0, p.text().length()) < 10).count();
    }

    @Test
    void everyPostOfPaulStagingPassesEverySpamAndLanguageRule() {
        List<Post> paul = RealPosts.fromRepo("paul_staging.repo.car");
        assertThat(paul).hasSize(101);
        Map<String, String> dropped = dropped(paul);
        assertThat(notTooShort(dropped)).isEmpty();
        assertThat(dropped).hasSize((int) shorterThanTen(paul));
        assertThat(paul.size() - dropped.size()).isEqualTo(57);
    }

    @Test
    void withNoLengthMinimumEveryPostOfPaulStagingPasses() {
        PostRules rules = ShippedRules.with(Map.of("filter.min-text-length", "0"));
        List<String> dropped = new ArrayList<>();
        for (Post post : RealPosts.fromRepo("paul_staging.repo.car")) {
            String rule = rules.check(post);
            if (rule != null) {
                dropped.add(rule + ": " + post.text());
            }
        }
        assertThat(dropped).isEmpty();
    }

    @Test
    void everyOtherRealRepoPostPassesToo() {
        List<Post> all = RealPosts.fromAllRepos();
        assertThat(all).hasSize(136);
        Map<String, String> dropped = dropped(all);
        assertThat(notTooShort(dropped)).isEmpty();
        assertThat(dropped).hasSize((int) shorterThanTen(all));
    }

    @Test
    void thePostsOfTheCapturedProductionFramesPass() throws Exception {
        List<Post> posts = RealPosts.fromFirehoseFixtures();
        assertThat(posts).isNotEmpty();
        assertThat(notTooShort(dropped(posts))).isEmpty();
    }

    /**
     * The end-to-end tests' corpora (the seeds they use), decoded as the service does: the defaults drop exactly
     * what the length-only oracle ({@link ExpectedPosts#acceptedByDefaultFilter}) says, so that oracle stays true.
     * Real texts are reused by random authors there; an author drawing the same text twice would be a duplicate.
     */
    @Test
    void theEndToEndCorporaLoseOnlyWhatTheLengthOracleSays() throws Exception {
        long[][] seeds = {{3000, 7}, {3000, 5}, {200, 3}};
        for (long[] c : seeds) {
            check(FrameCorpus.synthetic((int) c[0], 5_000_000, c[1]));
        }
        Corpus before = FrameCorpus.synthetic(1_500, 5_000_000, 21);
        Corpus after = FrameCorpus.synthetic(1_500, before.lastSeq() + 1, 22);
        List<RelayFrame> frames = new ArrayList<>(before.frames());
        frames.addAll(after.frames());
        List<dev.firehose.ingest.testsupport.ExpectedPost> posts = new ArrayList<>(before.posts());
        posts.addAll(after.posts());
        check(new Corpus(frames, posts, after.lastSeq()));
    }

    private static void check(Corpus corpus) throws Exception {
        PostRules rules = ShippedRules.defaults();
        List<String> kept = new ArrayList<>();
        for (Post post : RealPosts.decode(corpus.frames())) {
            if (rules.check(post) == null) {
                kept.add(post.uri());
            }
        }
        assertThat(kept).containsExactlyElementsOf(
                ExpectedPosts.acceptedByDefaultFilter(corpus.posts()).stream().map(p -> p.uri()).toList());
    }
}
