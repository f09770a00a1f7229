package dev.firehose.ingest;

import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.ConfigMapVolume;
import dev.firehose.ingest.testsupport.ExpectedPost;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules D1 and D2 of docs/invariants.md against an operator's edits of {@code routes/relay.yaml}: an extra step on
 * every post, an extra filter that drops some posts, and a step that throws for some posts, all before the shipped
 * filter. The stream holds exactly the posts that pass them all, the cursor reaches the last frame, each throw is
 * counted once as a failed post (stage {@code post}) and never retried, and no publish ever fails.
 */
class RouteEditsTest extends ServiceEndToEndSupport {

    /** The shipped route with three steps an operator added in front of the shipped filter. */
    static String editedRoute() {
        String shipped = ConfigMapVolume.shippedRoutes().get("relay.yaml");
        String filterStep = """
                              - filter:
                                  ref: postFilter
                """;
        String edited = shipped.replace(filterStep, """
                              - setHeader:
                                  name: seenByOperator
                                  constant: "yes"
                              - filter:
                                  simple: "${body.cid} ends with 'a'"
                                  steps:
                                    - stop: {}
                              - filter:
                                  simple: "${body.cid} ends with 'e'"
                                  steps:
                                    - throwException:
                                        exceptionType: java.lang.IllegalStateException
                                        message: "an operator's step fails for this post"
                """ + filterStep);
        assertThat(edited).as("the shipped route has the filter step to edit around").isNotEqualTo(shipped);
        return edited;
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        ConfigMapVolume routes = ConfigMapVolume.create(ConfigMapVolume.shippedRoutesWith("relay.yaml", editedRoute()));
        p.setProperty("routes.directory", routes.dir().toString());
        return p;
    }

    @Test
    void theStreamHoldsExactlyWhatTheEditedRouteLetsThroughAndTheCursorReachesTheEnd() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        List<ExpectedPost> expected = expectedPosts(corpus.posts()).stream()
                .filter(p -> !p.cid().endsWith("a") && !p.cid().endsWith("e")).toList();
        assertThat(expected.size()).as("the edits drop some posts, not all").isBetween(1,
                expectedPosts(corpus.posts()).size() - 1);
        assertStreamHoldsExactly(expected);

        long throwing = corpus.posts().stream().filter(p -> p.cid().endsWith("e")).count();
        assertThat(throwing).isPositive();
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        assertThat(metrics.count(IngestMetrics.POSTS_FAILED, "post")).as("each throw counted once").isEqualTo(throwing);
        assertThat(metrics.count(IngestMetrics.POSTS_FAILED, "batch")).isZero();
        assertThat(metrics.count(IngestMetrics.PUBLISH_ERRORS)).isZero();
        assertThat(metrics.count(IngestMetrics.FRAMES_FAILED)).isZero();
        assertThat(relay.connectionCount()).isEqualTo(1);
    }
}
