package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.metrics.IngestMetrics;
import java.util.List;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.filter.TextLengthRule;
import dev.firehose.ingest.testsupport.LogCapture;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The postFilter bean: counts by rule, the DEBUG line, and the rules written in YAML that docs/filters.md shows. */
class PostFilterTest {

    private final IngestMetrics metrics = new IngestMetrics();
    private final PostFilter filter = new PostFilter(new TextLengthRule(10, 1000), metrics);

    private static Post post(String text) {
        return new Post("at://did:plc:x/app.bsky.feed.post/" + Integer.toHexString(text.hashCode()), "bafy", "did:plc:x",
                "r", text, "2025-04-16T21:31:31.667Z", List.of(), 42L, "2025-04-16T21:31:33.046Z", null, List.of(),
                List.of(), List.of(), null, List.of());
    }

    @Test
    void dropsAreCountedUnderTheRuleThatMadeThem() {
        assertThat(filter.accept(post("Test"))).isFalse();
        assertThat(filter.accept(post("a post of some length"))).isTrue();
        assertThat(filter.acceptUnless(post("Test crypto"), true, "word_crypto")).isFalse();
        assertThat(filter.acceptUnless(post("tiny"), true, "word_crypto")).isFalse(); // too_short first
        assertThat(filter.keepUnless(post("whatever it is"), false, "word_crypto")).isTrue();
        assertThat(filter.reject(post("whatever it is"), "custom")).isFalse();
        assertThat(metrics.snapshot()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "posts_filtered|too_short", 2L, "posts_filtered|word_crypto", 1L, "posts_filtered|custom", 1L));
    }

    @Test
    void aDropIsLoggedAtDebugWithItsRule() {
        Configurator.setLevel(PostFilter.class.getName(), Level.DEBUG);
        try (LogCapture logs = LogCapture.start()) {
            filter.accept(post("Test"));
            assertThat(logs.lines()).anyMatch(l -> l.contains("Post at://did:plc:x/app.bsky.feed.post/")
                    && l.contains("(seq 42) filtered by rule too_short"));
        } finally {
            Configurator.setLevel(PostFilter.class.getName(), Level.INFO);
        }
    }

    /** The filter of a YAML route, as docs/filters.md writes it; returns the texts that passed. */
    private List<String> throughRoute(String filterYaml, List<String> texts) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("postFilter", filter);
            String yaml = """
                    - route:
                        from:
                          uri: direct:in
                          steps:
                            - filter:
                    %s
                                steps:
                                  - to: mock:out
                    """.formatted(filterYaml.stripTrailing().indent(12).stripTrailing());
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("rule.yaml", yaml));
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            texts.forEach(t -> producer.sendBody("direct:in", post(t)));
            return camel.getEndpoint("mock:out", MockEndpoint.class).getReceivedExchanges().stream()
                    .map(e -> e.getMessage().getBody(Post.class).text()).toList();
        }
    }

    @Test
    void theShippedStepCallsTheRulesAsAPredicate() throws Exception {
        List<String> kept = throughRoute("""
                ref: postFilter
                """, List.of("Test", "a post long enough to pass"));
        assertThat(kept).containsExactly("a post long enough to pass");
        assertThat(metrics.count(IngestMetrics.POSTS_FILTERED, "too_short")).isEqualTo(1);
    }

    @Test
    void aWholeWordRuleWithARegex() throws Exception {
        List<String> kept = throughRoute("""
                method:
                  ref: postFilter
                  method: "acceptUnless(${body}, ${body.text.matches('(?is).*\\\\b(crypto|nft)\\\\b.*')}, 'word_crypto')"
                """, List.of("Test", "my new NFT is out", "cryptography is fun to study", "buy crypto now, friends"));
        assertThat(kept).containsExactly("cryptography is fun to study");
        assertThat(metrics.count(IngestMetrics.POSTS_FILTERED, "word_crypto")).isEqualTo(2);
        assertThat(metrics.count(IngestMetrics.POSTS_FILTERED, "too_short")).isEqualTo(1);
    }

    @Test
    void twoRulesChainedInASimplePredicate() throws Exception {
        List<String> kept = throughRoute("""
                simple: "${bean:postFilter?method=acceptUnless(*, ${body.text.contains('crypto')}, 'word_crypto')} && ${bean:postFilter?method=keepUnless(*, ${body.text.contains('nft')}, 'word_nft')}"
                """, List.of("Test", "a crypto post here", "an nft post here", "a post about cats"));
        assertThat(kept).containsExactly("a post about cats");
        assertThat(metrics.snapshot()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "posts_filtered|too_short", 1L, "posts_filtered|word_crypto", 1L, "posts_filtered|word_nft", 1L));
    }
}
