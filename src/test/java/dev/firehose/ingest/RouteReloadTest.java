package dev.firehose.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.testsupport.ConfigMapVolume;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routes edited live, in the shape Kubernetes gives a ConfigMap volume: {@code relay.yaml -> ..data/relay.yaml},
 * {@code ..data -> ..<timestamp>/}, updated by switching {@code ..data} to a new directory. A stricter filter,
 * applied mid-stream without a restart: the posts before the switch follow the old rule, those after the new
 * one, exactly, and the cursor is not lost. Only the loaded files are watched: an edit of the other source's file
 * ({@code jetstream.yaml}, published first and kept) starts nothing.
 */
class RouteReloadTest extends ServiceEndToEndSupport {

    private static final int MIN_CODE_POINTS_AFTER = 40;

    private ConfigMapVolume routes;
    private Corpus before;
    private Corpus after;

    @Override
    protected Corpus buildCorpus() {
        before = FrameCorpus.synthetic(1_500, FIRST_SEQ, 21);
        after = FrameCorpus.synthetic(1_500, before.lastSeq() + 1, 22);
        List<RelayFrame> frames = new ArrayList<>(before.frames());
        frames.addAll(after.frames());
        List<ExpectedPost> posts = new ArrayList<>(before.posts());
        posts.addAll(after.posts());
        return new Corpus(frames, posts, after.lastSeq());
    }

    @Override
    protected List<RelayFrame> firstFrames() {
        return before.frames();
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        routes = ConfigMapVolume.create(ConfigMapVolume.shippedRoutes());
        p.setProperty("routes.directory", routes.dir().toString());
        p.setProperty("routes.reload-interval-ms", "300");
        return p;
    }

    @Test
    void aStricterFilterAppliesMidStreamWithoutRestart() throws Exception {
        awaitStoredCursor(before.lastSeq());
        assertStreamHoldsExactly(expectedPosts(before.posts()));

        String original = ConfigMapVolume.shippedRoutes().get("relay.yaml");
        String stricter = original.replace("""
                  ref: postFilter
""", """
                  simple: "${bean:postFilter?method=accept} && ${body.textCodePoints()} >= %d"
""".formatted(MIN_CODE_POINTS_AFTER));
        assertThat(stricter).isNotEqualTo(original);
        // A route that would start fine under the other source's name: a reloader watching it would run it.
        String stray = """
                - route:
                    id: jetstream-ingest
                    from:
                      uri: "timer:stray?repeatCount=1"
                      steps:
                        - log: "the source that is not selected"
                """;
        routes.publish(ConfigMapVolume.shippedRoutesWith("jetstream.yaml", stray));
        java.util.Map<String, String> bothEdited = ConfigMapVolume.shippedRoutesWith("relay.yaml", stricter);
        bothEdited.put("jetstream.yaml", stray);
        routes.publish(bothEdited);
        RoutesReloader reloader = context.getRegistry().lookupByNameAndType("routesReloader", RoutesReloader.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> reloader.reloads() == 1);
        assertThat(context.getRoute("jetstream-ingest")).as("the other source's file is not watched").isNull();

        relay.append(after.frames());
        awaitStoredCursor(after.lastSeq());
        List<ExpectedPost> expected = new ArrayList<>(expectedPosts(before.posts()));
        for (ExpectedPost post : expectedPosts(after.posts())) {
            if (post.text().codePointCount(0, post.text().length()) >= MIN_CODE_POINTS_AFTER) {
                expected.add(post);
            }
        }
        assertThat(expected.size()).isLessThan(expectedPosts(corpus.posts()).size());
        assertStreamHoldsExactly(expected);
        assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
        assertThat(relay.requestedCursors()).containsExactly(null, Long.toString(before.lastSeq()));
        assertThat(reloader.reloads()).isEqualTo(1);
        assertThat(context.getRoute("jetstream-ingest")).isNull();
    }
}
