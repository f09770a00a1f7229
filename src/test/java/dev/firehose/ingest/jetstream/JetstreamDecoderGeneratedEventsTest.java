package dev.firehose.ingest.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.testsupport.JetstreamCorpus;
import dev.firehose.ingest.testsupport.JetstreamWireEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder on every generated event (real fixture records), plain and compressed, against the generator's own
 * metadata and plain Jackson on the same JSON.
 */
class JetstreamDecoderGeneratedEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JetstreamCorpus posts;
    private static JetstreamCorpus firehose;
    private static JetstreamDecoder decoder;

    @BeforeAll
    static void generate() {
        posts = JetstreamCorpus.posts(2000, 11);
        firehose = JetstreamCorpus.firehose(2000, 12);
        decoder = new JetstreamDecoder();
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @Test
    void everyEventDecodesPlainAndCompressedAlike() throws Exception {
        for (JetstreamCorpus corpus : List.of(posts, firehose)) {
            for (JetstreamWireEvent wire : corpus.events()) {
                JetstreamEvent plain = decoder.decode(wire.json(), false);
                assertThat(decoder.decode(wire.zstd(), true)).isEqualTo(plain);
                JetstreamDecoderRealEventsTest.assertMatches(plain, JSON.readTree(wire.json()));
                assertThat(plain.timeUs()).isEqualTo(wire.timeUs());
                assertThat(plain.did()).isEqualTo(wire.did());
                assertThat(plain.kind().wire()).isEqualTo(wire.kind());
                assertThat(plain.collection()).isEqualTo(wire.collection());
                assertThat(plain.rkey()).isEqualTo(wire.rkey());
                assertThat(plain.operation() == null ? null : plain.operation().wire()).isEqualTo(wire.operation());
            }
        }
    }

    @Test
    void thePostCreatesAreTheExpectedPosts() throws Exception {
        List<String> decoded = new ArrayList<>();
        for (JetstreamWireEvent wire : posts.events()) {
            JetstreamEvent event = decoder.decode(wire.zstd(), true);
            if (event.isCreateIn("app.bsky.feed.post")) {
                decoded.add(String.join("|", "at://" + event.did() + "/app.bsky.feed.post/" + event.rkey(), event.cid(),
                        event.record().path("text").asText(null), event.isoTime()));
            }
        }
        assertThat(decoded).isEqualTo(posts.posts().stream()
                .map(p -> String.join("|", p.uri(), p.cid(), p.text(), p.time())).toList());
    }

    @Test
    void aPostsOnlyDecoderSkipsOtherRecordsAndKeepsPosts() throws Exception {
        try (JetstreamDecoder postsOnly = JetstreamDecoder.builder().recordsOf(Set.of("app.bsky.feed.post")).build()) {
            for (JetstreamWireEvent wire : firehose.events()) {
                JetstreamEvent full = decoder.decode(wire.json(), false);
                JetstreamEvent lean = postsOnly.decode(wire.zstd(), true);
                boolean keeps = "app.bsky.feed.post".equals(wire.collection());
                assertThat(lean.record()).isEqualTo(keeps ? full.record() : null);
                assertThat(lean.cid()).isEqualTo(full.cid());
                assertThat(lean.timeUs()).isEqualTo(full.timeUs());
            }
        }
    }

    @Test
    void oneDecoderServesSeveralThreadsAtOnce() throws Exception {
        List<JetstreamWireEvent> events = firehose.events();
        List<JetstreamEvent> expected = new ArrayList<>();
        for (JetstreamWireEvent wire : events) {
            expected.add(decoder.decode(wire.json(), false));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (JetstreamDecoder shared = new JetstreamDecoder()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean compressed = t % 2 == 0;
                results.add(pool.submit(() -> {
                    int same = 0;
                    for (int i = 0; i < events.size(); i++) {
                        if (shared.decode(events.get(i).message(compressed), compressed).equals(expected.get(i))) {
                            same++;
                        }
                    }
                    return same;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(events.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
