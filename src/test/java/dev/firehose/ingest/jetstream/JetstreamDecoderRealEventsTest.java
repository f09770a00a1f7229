package dev.firehose.ingest.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.testsupport.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder on real Jetstream v1 wire events ({@code fixtures/jetstream/golden_v1.jsonl}), plain and compressed by
 * the reference zstd CLI with Jetstream's dictionary; each checked against plain Jackson on the same line.
 */
class JetstreamDecoderRealEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<String> lines;
    private static JetstreamDecoder decoder;

    @BeforeAll
    static void load() throws IOException {
        lines = Files.readAllLines(Fixtures.dir().resolve("jetstream").resolve("golden_v1.jsonl"), StandardCharsets.UTF_8);
        decoder = new JetstreamDecoder();
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @Test
    void everyRealEventDecodesToWhatItSays() throws Exception {
        assertThat(lines).hasSize(10);
        for (String line : lines) {
            assertMatches(decoder.decode(line.getBytes(StandardCharsets.UTF_8), false), JSON.readTree(line));
        }
    }

    @Test
    void everyRealEventCompressedByTheZstdCliDecodesToTheSameEvent() throws Exception {
        for (int i = 0; i < lines.size(); i++) {
            byte[] frame = Files.readAllBytes(zstdFixture(String.format("line-%02d.zst", i + 1)));
            assertThat(decoder.decode(frame, true))
                    .isEqualTo(decoder.decode(lines.get(i).getBytes(StandardCharsets.UTF_8), false));
        }
    }

    @Test
    void aFrameWithoutContentSizeInflatesToo() throws Exception {
        byte[] frame = Files.readAllBytes(zstdFixture("line-01-streamed.zst"));
        assertThat(decoder.decode(frame, true))
                .isEqualTo(decoder.decode(lines.get(0).getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void theRealPostAndItsTime() throws Exception {
        JetstreamEvent post = decoder.decode(lines.get(1).getBytes(StandardCharsets.UTF_8), false);
        assertThat(post.isCreateIn("app.bsky.feed.post")).isTrue();
        assertThat(post.did()).isEqualTo("did:plc:q235v55g5unth4zjjdpacfdr");
        assertThat(post.rkey()).isEqualTo("3mmoojp4cd223");
        assertThat(post.cid()).isEqualTo("bafyreicl7rzkxdrm4zz2ehbx52kuk3mvfow6p3gzfys72r5grvskxoswy4");
        assertThat(post.record().get("text").asText()).isEqualTo("Try RSV for a good time !!");
        assertThat(post.timeUs()).isEqualTo(1779719009157119L);
        assertThat(post.isoTime()).isEqualTo("2026-05-25T14:23:29.157Z");
    }

    @Test
    void theRealDeleteHasNoRecordAndNoCid() throws Exception {
        JetstreamEvent delete = decoder.decode(lines.get(5).getBytes(StandardCharsets.UTF_8), false);
        assertThat(delete.operation()).isEqualTo(JetstreamEvent.Operation.DELETE);
        assertThat(delete.collection()).isEqualTo("org.hypercerts.claim.activity");
        assertThat(delete.cid()).isNull();
        assertThat(delete.record()).isNull();
        assertThat(delete.rev()).isEqualTo("3mmoojpae7c2e");
    }

    @Test
    void recordsOfOtherCollectionsAreSkippedButTheEventIsComplete() throws Exception {
        try (JetstreamDecoder postsOnly = JetstreamDecoder.builder().recordsOf(Set.of("app.bsky.feed.post")).build()) {
            for (String line : lines) {
                JetstreamEvent full = decoder.decode(line.getBytes(StandardCharsets.UTF_8), false);
                JetstreamEvent lean = postsOnly.decode(line.getBytes(StandardCharsets.UTF_8), false);
                if ("app.bsky.feed.post".equals(full.collection()) || full.record() == null) {
                    assertThat(lean).isEqualTo(full);
                } else {
                    assertThat(lean.record()).isNull();
                    assertThat(lean).isEqualTo(new JetstreamEvent(full.timeUs(), full.did(), full.kind(),
                            full.operation(), full.collection(), full.rkey(), full.rev(), full.cid(), null, full.payload()));
                }
            }
        }
    }

    private static Path zstdFixture(String name) {
        return Fixtures.dir().resolve("jetstream").resolve("golden_v1_zstd").resolve(name);
    }

    /** The decoded event against plain Jackson's tree of the same JSON. */
    static void assertMatches(JetstreamEvent event, JsonNode json) {
        assertThat(event.did()).isEqualTo(json.get("did").asText());
        assertThat(event.timeUs()).isEqualTo(json.get("time_us").asLong());
        assertThat(event.kind().wire()).isEqualTo(json.get("kind").asText());
        if (event.kind() == JetstreamEvent.Kind.COMMIT) {
            JsonNode commit = json.get("commit");
            assertThat(event.operation().wire()).isEqualTo(commit.get("operation").asText());
            assertThat(event.collection()).isEqualTo(commit.get("collection").asText());
            assertThat(event.rkey()).isEqualTo(commit.get("rkey").asText());
            assertThat(event.rev()).isEqualTo(commit.get("rev").asText());
            assertThat(event.cid()).isEqualTo(commit.has("cid") ? commit.get("cid").asText() : null);
            assertThat(event.record()).isEqualTo(commit.get("record"));
            assertThat(event.payload()).isNull();
        } else {
            assertThat(event.payload()).isEqualTo(json.get(event.kind().wire()));
            assertThat(event.operation()).isNull();
            assertThat(event.record()).isNull();
        }
    }
}
