package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FrameBatch;
import dev.firehose.ingest.delivery.PostDeletes;
import dev.firehose.ingest.metrics.IngestMetrics;
import java.util.ArrayList;
import java.util.List;

import dev.firehose.ingest.atproto.FrameDecoder;
import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The captured production frames, through the frame decoder into the delivery watermark, as the route runs them:
 * posts come out exactly as the independent oracle reads them, frames without posts (likes, deletes, #identity,
 * #account, #sync) produce none and move the cursor, and a seq that repeats or goes backwards is skipped.
 */
class FixtureFramesCursorTest {

    private static CamelContext camel;

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void stopCamel() throws Exception {
        camel.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "relay-testing-account_lifecycle.json", "relay-testing-deactivation.json", "relay-testing-legacy.json",
        "relay-testing-post_lifecycle.json", "relay-testing-post_lifecycle_legacy.json",
        "relay-testing-rev_ordering.json", "relay-testing-seq_ordering.json",
        "firehose_commit_4621317030.json", "firehose_commit_4621317332.json", "firehose_commit_4621332152.json",
        "firehose_commit_4623075231.json"})
    void everyFrameMovesTheCursorAndPostsComeOutAsTheOracleReadsThem(String fixture) throws Exception {
        List<RelayFrame> frames = FrameCorpus.fromFixtureFile(fixture);
        IngestMetrics metrics = new IngestMetrics();
        DeliveryWatermark watermark = new DeliveryWatermark(1_000, 1_000);
        FrameDecodeProcessor decode = new FrameDecodeProcessor(new FrameDecoder(), watermark, metrics,
                new RelayErrorPolicy(false), DeadLetters.NONE, PostDeletes.NONE);

        List<Post> published = new ArrayList<>();
        long highest = DeliveryWatermark.NONE;
        int skipped = 0;
        for (RelayFrame frame : frames) {
            // what the relay consumer does around each batch's exchange
            DeliveryWatermark.Frame tracked = watermark.frameStarted();
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(FrameBatch.of(frame.bytes(), tracked));
            decode.process(exchange);
            @SuppressWarnings("unchecked")
            List<Post> posts = exchange.getMessage().getBody(List.class);
            if (frame.seq() <= highest) {
                // A repeated or backwards seq is already accounted for: skipped, nothing published.
                assertThat(posts).isEmpty();
                watermark.frameFinished(tracked);
                assertThat(watermark.watermark()).isEqualTo(highest);
                skipped++;
                continue;
            }
            highest = frame.seq();
            for (Post post : posts) {
                assertThat(watermark.postHeld(tracked)).isTrue();
            }
            watermark.frameFinished(tracked);
            for (Post post : posts) {
                published.add(post);
                assertThat(watermark.watermark()).as("held back by its own post").isLessThan(frame.seq());
                watermark.postAcked(tracked);
            }
            assertThat(watermark.watermark()).as("cursor after frame %d", frame.seq()).isEqualTo(frame.seq());
        }

        List<ExpectedPost> expected = ExpectedPosts.fromFrames(frames);
        assertThat(published).extracting(Post::uri).containsExactlyElementsOf(
                expected.stream().map(ExpectedPost::uri).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(published.get(i).cid()).isEqualTo(expected.get(i).cid());
            assertThat(published.get(i).text()).isEqualTo(expected.get(i).text());
            assertThat(published.get(i).createdAt()).isEqualTo(expected.get(i).createdAt());
            assertThat(published.get(i).langs()).isEqualTo(expected.get(i).langs());
        }
        assertThat(metrics.count(IngestMetrics.FRAMES_REPLAYED)).isEqualTo(skipped);
        assertThat(metrics.total(IngestMetrics.MALFORMED_FRAMES)).isZero();
    }
}
