package dev.firehose.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.ConfigMapVolume;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.PostFrames;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static dev.firehose.ingest.testsupport.PostFrames.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The filter rules end to end, as an operator runs them: real posts and crafted spam of every kind through the
 * shipped defaults plus a language choice and the phrase and DID lists (ConfigMap-mounted); then, without a
 * restart, the route gains the "drop posts containing a word" rule of docs/filters.md and both lists are edited.
 * The stream holds exactly the posts the rules of each moment accept, and /metrics counts every drop under its rule name.
 */
class FilterRulesEndToEndTest extends ServiceEndToEndSupport {

    /** The worked example of docs/filters.md, verbatim: the filter's method line. */
    static final String WORD_RULE = "method: \"acceptUnless(${body}, ${body.text.toLowerCase().contains('crypto')}, 'word_crypto')\"";

    private static final String BOT = "did:plc:craftedbot000000000000000";
    private static final String HUMAN = "did:plc:craftedhuman0000000000000";
    private static final String BLOCKED_FIRST = "did:plc:blockedfirst0000000000000";
    private static final String BLOCKED_LATER = "did:plc:blockedlater0000000000000";
    private static final String COPY = "Check my profile for something special";

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigMapVolume routes;
    private ConfigMapVolume lists;
    private Corpus realBefore;
    private Corpus realAfter;
    private Corpus before;
    private Corpus after;
    private final List<ExpectedPost> keptBefore = new ArrayList<>();
    private final List<ExpectedPost> keptAfter = new ArrayList<>();

    @Override
    protected Corpus buildCorpus() {
        realBefore = FrameCorpus.synthetic(1_000, FIRST_SEQ, 31);
        PostFrames spamBefore = new PostFrames(realBefore.lastSeq() + 1);
        keptBefore.add(spamBefore.add(HUMAN, record("Just tried the new ramen place downtown, wow", "en")));
        keptBefore.add(spamBefore.add(HUMAN, record("Everyone at work keeps talking about crypto again", "en")));
        keptBefore.add(spamBefore.add(HUMAN, record("今日はとても良い天気ですね、散歩に行きます", "ja")));
        keptBefore.add(spamBefore.add(BOT, record(COPY)));
        spamBefore.add(BOT, record(COPY));                                                       // duplicate
        spamBefore.add(BOT, record("Sale today #a #b #c #d #e #f #g #h #i #j #k"));              // too_many_tags
        spamBefore.add(BOT, record("@a.bsky.social @b.bsky.social @c.bsky.social @d.bsky.social @e.bsky.social "
                + "@f.bsky.social @g.bsky.social @h.bsky.social @i.bsky.social @j.bsky.social @k.bsky.social "
                + "claim your free airdrop"));                                                   // too_many_mentions
        spamBefore.add(BOT, links(record("great deals here for everyone"), 6));                  // too_many_links
        spamBefore.add(BOT, record("#nft #crypto #airdrop https://spam.example/x"));             // only_tags_links
        spamBefore.add(BOT, record("Moon soon " + "🚀".repeat(40)));                             // repeated_character
        spamBefore.add(BOT, record("Get FREE CRYPTO while it lasts"));                           // phrase
        spamBefore.add(BLOCKED_FIRST, record("hello from a blocked account"));                   // blocked_did
        spamBefore.add(HUMAN, record("Guten Morgen zusammen, schönes Wetter heute", "de"));      // language
        spamBefore.add(HUMAN, record("x ".repeat(600)));                                         // too_long
        before = join(realBefore, spamBefore);

        realAfter = FrameCorpus.synthetic(1_000, spamBefore.nextSeq(), 32);
        PostFrames spamAfter = new PostFrames(realAfter.lastSeq() + 1);
        spamAfter.add(HUMAN, record("Everyone at work keeps talking about crypto again today", "en")); // word_crypto
        spamAfter.add(HUMAN, record("Is CRYPTO really the future of money?", "en"));                 // word_crypto
        spamAfter.add(BOT, record("Limited offer: just for you today"));                             // phrase (new)
        spamAfter.add(BOT, record("Get FREE CRYPTO while it lasts, friends"));                       // phrase first
        keptAfter.add(spamAfter.add(HUMAN, record("The ramen place downtown was great again", "en")));
        spamAfter.add(BOT, record(COPY));                                                            // duplicate
        spamAfter.add(BOT, record("Sale today #a #b #c #d #e #f #g #h #i #j #k"));                   // too_many_tags
        spamAfter.add(BLOCKED_LATER, record("hello from a newly blocked account"));                  // blocked_did
        keptAfter.add(spamAfter.add(BLOCKED_FIRST, record("hello again, I was unblocked")));
        after = join(realAfter, spamAfter);

        List<RelayFrame> frames = new ArrayList<>(before.frames());
        frames.addAll(after.frames());
        List<ExpectedPost> posts = new ArrayList<>(before.posts());
        posts.addAll(after.posts());
        return new Corpus(frames, posts, after.lastSeq());
    }

    private static ObjectNode links(ObjectNode record, int n) {
        for (int i = 0; i < n; i++) {
            PostFrames.withFeature(record, "app.bsky.richtext.facet#link", "uri", "https://spam.example/" + i);
        }
        return record;
    }

    private static Corpus join(Corpus real, PostFrames crafted) {
        List<RelayFrame> frames = new ArrayList<>(real.frames());
        frames.addAll(crafted.frames());
        List<ExpectedPost> posts = new ArrayList<>(real.posts());
        posts.addAll(crafted.posts());
        return new Corpus(frames, posts, crafted.nextSeq() - 1);
    }

    @Override
    protected List<RelayFrame> firstFrames() {
        return before.frames();
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("filter.duplicate-window", "10m"); // the default, which the delivery tests turn off
        routes = ConfigMapVolume.create(ConfigMapVolume.shippedRoutes());
        lists = ConfigMapVolume.create(Map.of(
                "phrases.txt", "# spam phrases seen this week\nfree crypto\n",
                "blocked-dids.txt", BLOCKED_FIRST + "\n"));
        p.setProperty("routes.directory", routes.dir().toString());
        p.setProperty("routes.reload-interval-ms", "300");
        p.setProperty("filter.languages", "en,ja");
        p.setProperty("filter.phrases-file", lists.file("phrases.txt").toString());
        p.setProperty("filter.blocked-dids-file", lists.file("blocked-dids.txt").toString());
        p.setProperty("filter.lists-check-interval-ms", "200");
        return p;
    }

    @Test
    void theStreamHoldsWhatTheRulesOfEachMomentAcceptAndMetricsCountEveryDropByRule() throws Exception {
        awaitStoredCursor(before.lastSeq());
        List<ExpectedPost> expected = new ArrayList<>(expectedPosts(realBefore.posts()));
        expected.addAll(keptBefore);
        assertStreamHoldsExactly(expected);
        long shortBefore = realBefore.posts().size() - expectedPosts(realBefore.posts()).size();
        assertThat(filtered()).isEqualTo(counts("too_short", shortBefore, "too_long", 1, "language", 1,
                "blocked_did", 1, "too_many_tags", 1, "too_many_mentions", 1, "too_many_links", 1,
                "only_tags_links", 1, "repeated_character", 1, "phrase", 1, "duplicate", 1));

        // The rule of docs/filters.md goes into the route; the phrase list gains a line, the DID list changes hands.
        String original = ConfigMapVolume.shippedRoutes().get("relay.yaml");
        String withWordRule = original.replace("""
                  ref: postFilter
""", """
                  method:
                    ref: postFilter
                    %s
""".formatted(WORD_RULE));
        assertThat(withWordRule).isNotEqualTo(original);
        assertThat(Files.readString(Path.of("docs/filters.md"))).contains(WORD_RULE);
        routes.publish(ConfigMapVolume.shippedRoutesWith("relay.yaml", withWordRule));
        lists.publish(Map.of(
                "phrases.txt", "# spam phrases seen this week\nfree crypto\nlimited offer\n",
                "blocked-dids.txt", BLOCKED_LATER + "\n"));
        RoutesReloader reloader = context.getRegistry().lookupByNameAndType("routesReloader", RoutesReloader.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> reloader.reloads() == 1);
        Thread.sleep(300); // past the lists' check interval: the next post looks at the files again

        relay.append(after.frames());
        awaitStoredCursor(after.lastSeq());
        for (ExpectedPost post : expectedPosts(realAfter.posts())) {
            if (!post.text().toLowerCase(Locale.ROOT).contains("crypto")) {
                expected.add(post);
            }
        }
        expected.addAll(keptAfter);
        assertStreamHoldsExactly(expected);
        long shortAfter = realAfter.posts().size() - expectedPosts(realAfter.posts()).size();
        assertThat(filtered()).isEqualTo(counts("too_short", shortBefore + shortAfter, "too_long", 1,
                "language", 1, "blocked_did", 2, "too_many_tags", 2, "too_many_mentions", 1, "too_many_links", 1,
                "only_tags_links", 1, "repeated_character", 1, "phrase", 3, "duplicate", 2, "word_crypto", 2));
        assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
    }

    /** rule, count, rule, count, ... as a sorted map like {@link #filtered()}. */
    private static Map<String, Double> counts(Object... ruleAndCount) {
        Map<String, Double> out = new TreeMap<>();
        for (int i = 0; i < ruleAndCount.length; i += 2) {
            out.put((String) ruleAndCount[i], ((Number) ruleAndCount[i + 1]).doubleValue());
        }
        return out;
    }

    /** {@code firehose_posts_filtered_total} by rule, as scraped from /metrics. */
    private Map<String, Double> filtered() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^firehose_posts_filtered_total\\{rule=\"([^\"]*)\"} ([0-9.eE+-]+)$")
                .matcher(body);
        Map<String, Double> out = new TreeMap<>();
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
