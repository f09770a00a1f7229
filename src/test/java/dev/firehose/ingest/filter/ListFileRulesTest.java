package dev.firehose.ingest.filter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The phrase and blocked-DID lists: what they match, and that an edited file is read again, at most so often. */
class ListFileRulesTest {

    @TempDir
    Path tmp;

    private final long[] nanos = {0};

    private ListFile list(Path file, java.util.function.Function<String, String> normalize) {
        return new ListFile(file, normalize, 1000, () -> nanos[0]);
    }

    private void advanceSeconds(int s) {
        nanos[0] += s * 1_000_000_000L;
    }

    @Test
    void phrasesMatchCaseInsensitivelyAnywhereAndCommentsAreSkipped() throws Exception {
        Path file = Files.writeString(tmp.resolve("phrases.txt"), """
                # spam seen this week
                free crypto
                  Claim Your Airdrop
                #followback

                """);
        PhraseRule rule = new PhraseRule(list(file, PhraseRule::normalize));
        assertThat(rule.check(TestPosts.text("FREE CRYPTO for the first 100!!"))).isEqualTo(PhraseRule.NAME);
        assertThat(rule.check(TestPosts.text("hurry, claim your airdrop now"))).isEqualTo(PhraseRule.NAME);
        assertThat(rule.check(TestPosts.text("me? #followback always"))).isEqualTo(PhraseRule.NAME);
        assertThat(rule.check(TestPosts.text("spam seen this week"))).isNull(); // that was a comment
        assertThat(rule.check(TestPosts.text("crypto is not free"))).isNull();
        List<Post> real = new ArrayList<>(RealPosts.fromAllRepos());
        real.addAll(RealPosts.fromFirehoseFixtures());
        assertThat(real).allSatisfy(p -> assertThat(rule.check(p)).as(p.text()).isNull());
    }

    @Test
    void anEditedListIsReadAgainAfterTheInterval() throws Exception {
        Path file = Files.writeString(tmp.resolve("phrases.txt"), "free crypto\n");
        ListFile phrases = list(file, PhraseRule::normalize);
        PhraseRule rule = new PhraseRule(phrases);
        Post post = TestPosts.text("limited offer, act now");
        assertThat(rule.check(post)).isNull();

        Files.writeString(file, "free crypto\nlimited offer\n");
        assertThat(rule.check(post)).as("not yet checked again").isNull();
        advanceSeconds(2);
        assertThat(rule.check(post)).isEqualTo(PhraseRule.NAME);
        assertThat(phrases.reloads()).isEqualTo(1);

        advanceSeconds(2);
        rule.check(post);
        assertThat(phrases.reloads()).as("unchanged: not read again").isEqualTo(1);
    }

    @Test
    void aListThatCannotBeReadKeepsThePreviousOne() throws Exception {
        Path file = Files.writeString(tmp.resolve("dids.txt"), "did:plc:spam1\n");
        BlockedAuthorRule rule = new BlockedAuthorRule(list(file, d -> d));
        Files.delete(file);
        advanceSeconds(2);
        assertThat(rule.check(TestPosts.post("did:plc:spam1", "hello there friends", List.of(), null)))
                .isEqualTo(BlockedAuthorRule.NAME);
    }

    /** A ConfigMap volume: dids.txt -> ..data/dids.txt, ..data -> ..v1, updated by swapping ..data to ..v2. */
    @Test
    void blockedDidsFollowAConfigMapSymlinkSwap() throws Exception {
        Path v1 = Files.createDirectory(tmp.resolve("..v1"));
        Files.writeString(v1.resolve("dids.txt"), "# known spam\ndid:plc:spam1\n");
        Files.createSymbolicLink(tmp.resolve("..data"), v1.getFileName());
        Path file = Files.createSymbolicLink(tmp.resolve("dids.txt"), Path.of("..data", "dids.txt"));
        BlockedAuthorRule rule = new BlockedAuthorRule(list(file, d -> d));

        Post spam1 = TestPosts.post("did:plc:spam1", "hello there friends", List.of(), null);
        Post spam2 = TestPosts.post("did:plc:spam2", "hello there friends", List.of(), null);
        assertThat(rule.check(spam1)).isEqualTo(BlockedAuthorRule.NAME);
        assertThat(rule.check(spam2)).isNull();

        Path v2 = Files.createDirectory(tmp.resolve("..v2"));
        Files.writeString(v2.resolve("dids.txt"), "did:plc:spam2\n");
        Path tmpLink = Files.createSymbolicLink(tmp.resolve("..data_tmp"), v2.getFileName());
        Files.move(tmpLink, tmp.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        advanceSeconds(2);
        assertThat(rule.check(spam2)).isEqualTo(BlockedAuthorRule.NAME);
        assertThat(rule.check(spam1)).isNull();
    }
}
