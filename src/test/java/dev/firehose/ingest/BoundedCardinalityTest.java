package dev.firehose.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.PostFrames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 5, rule D10 of docs/invariants.md: a post's declared language is untrusted input. Three thousand posts
 * each declare a different bogus language tag (digits, long words, punctuation, other scripts), among a few real
 * ones: they all land, but on the subjects of the real languages and {@code und} only, with as many
 * {@code firehose_posts_published_by_language_total} series and Camel endpoints as that, not one per tag.
 */
class BoundedCardinalityTest extends ServiceEndToEndSupport {

    private static final int BOGUS = 3_000;
    private static final List<String> REAL = List.of("en", "ja", "pt-BR", "de");

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("filter.enabled", "false");
        return p;
    }

    @Override
    protected Corpus buildCorpus() {
        PostFrames posts = new PostFrames(FIRST_SEQ);
        for (int i = 0; i < BOGUS; i++) {
            posts.add("did:plc:boundedcardinality00000000", PostFrames.record("post " + i, bogusTag(i)));
        }
        for (String real : REAL) {
            posts.add("did:plc:boundedcardinality00000000", PostFrames.record("a post in " + real, real));
        }
        return new Corpus(posts.frames(), posts.posts(), posts.nextSeq() - 1);
    }

    private static String bogusTag(int i) {
        return switch (i % 6) {
            case 0 -> "x" + i;                      // letters and digits
            case 1 -> "lang" + Integer.toString(i, 26).replaceAll("[0-9]", "q"); // a long word
            case 2 -> Integer.toString(i);          // digits
            case 3 -> "a-" + i;                     // a one-letter primary subtag
            case 4 -> "日本" + i;                    // another script
            default -> "en." + i;                   // punctuation
        };
    }

    @Test
    void thousandsOfBogusLanguageTagsMintNoSubjectsSeriesOrEndpoints() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        List<ExpectedPost> expected = corpus.posts();
        Set<String> subjects = streamMessages().values().stream().map(p -> p.get("_subject").asText())
                .collect(Collectors.toSet());
        assertThat(streamMessages()).hasSize(expected.size());
        assertThat(subjects).containsExactlyInAnyOrder("e2e.posts.und", "e2e.posts.en", "e2e.posts.ja",
                "e2e.posts.pt", "e2e.posts.de");

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + healthPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> series = new ArrayList<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("firehose_posts_published_by_language_total{")) {
                series.add(line);
            }
        }
        assertThat(series).hasSize(subjects.size());
        assertThat(context.getEndpoints().size()).as("endpoints: %s", context.getEndpoints()).isLessThan(10);
        JsonNode any = streamMessages().values().iterator().next();
        assertThat(any.get("langs").size()).as("the declared tag is published as declared").isEqualTo(1);
    }
}
