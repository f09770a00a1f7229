package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.firehose.ingest.testsupport.Cids;
import dev.firehose.ingest.testsupport.DagCborWriter;
import dev.firehose.ingest.testsupport.FixtureFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real production frames (fixtures/firehose), encoded to binary, decoded, and checked against their JSON form. */
class FrameDecoderFixturesTest {

    private static final ObjectMapper PLAIN_CBOR = new ObjectMapper(new CBORFactory());
    private final FrameDecoder decoder = new FrameDecoder();

    static List<FixtureFrame> frames() {
        return FirehoseFixtures.all();
    }

    @Test
    void thereAreFramesOfEveryKind() {
        assertThat(frames()).hasSizeGreaterThanOrEqualTo(39);
        assertThat(frames().stream().map(FixtureFrame::type).distinct())
                .containsExactlyInAnyOrder("#commit", "#identity", "#account", "#sync");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void identityFieldsComeOut(FixtureFrame frame) throws Exception {
        FirehoseEvent event = decoder.decode(frame.bytes());
        JsonNode body = frame.body();

        assertThat(event.op()).isEqualTo(1);
        assertThat(event.type()).isEqualTo(frame.type());
        assertThat(event.seq()).isEqualTo(body.get("seq").longValue());
        assertThat(event.hasSeq()).isTrue();
        assertThat(event.time()).isEqualTo(body.get("time").textValue());
        assertThat(event.repo()).isEqualTo(body.has("repo") ? body.get("repo").textValue() : body.get("did").textValue());
        assertThat(event.recordProblems()).isEmpty();
        assertThat(event.fieldProblems()).isEmpty(); // real posts are well within every cap
        assertThat(event.errorName()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void postsAreExactlyThePostCreatesWithTheirRecordText(FixtureFrame frame) throws Exception {
        FirehoseEvent event = decoder.decode(frame.bytes());
        List<Post> expected = expectedPosts(frame);

        assertThat(event.posts()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Post want = expected.get(i);
            Post got = event.posts().get(i);
            assertThat(got.uri()).isEqualTo(want.uri());
            assertThat(got.cid()).isEqualTo(want.cid());
            assertThat(got.rkey()).isEqualTo(want.rkey());
            assertThat(got.author()).isEqualTo(want.author());
            assertThat(got.text()).isEqualTo(want.text());
            assertThat(got.createdAt()).isEqualTo(want.createdAt());
            assertThat(got.langs()).isEqualTo(want.langs());
            assertThat(got.seq()).isEqualTo(event.seq());
            assertThat(got.time()).isEqualTo(event.time());
        }
    }

    @Test
    void thePostFramesAreThereAndOthersHaveNone() throws Exception {
        List<String> withPosts = new ArrayList<>();
        for (FixtureFrame frame : frames()) {
            FirehoseEvent event = decoder.decode(frame.bytes());
            if (!event.posts().isEmpty()) {
                withPosts.add(frame.name() + ":" + event.posts().size());
            }
        }
        assertThat(withPosts).containsExactlyInAnyOrder(
                "relay-testing-deactivation#2:1",
                "relay-testing-post_lifecycle#2:1",
                "relay-testing-post_lifecycle#5:1",
                "relay-testing-post_lifecycle_legacy#1:1");
    }

    @Test
    void aMultiOpCommitYieldsOnlyItsPost() throws Exception {
        // post + threadgate + postgate in one commit
        FixtureFrame frame = FirehoseFixtures.byName("relay-testing-post_lifecycle#5");
        FirehoseEvent event = decoder.decode(frame.bytes());

        assertThat(event.posts()).singleElement().satisfies(post -> {
            assertThat(post.uri()).isEqualTo("at://did:plc:44ybard66vv44zksje25o7dz/app.bsky.feed.post/3lmxk35znys2k");
            assertThat(post.cid()).isEqualTo("bafyreie7e7nxgitx52m2e65k273y7dbzekcqzcbu2cnalmuzzzkzzczxpq");
            assertThat(post.seq()).isEqualTo(35986865L);
        });
    }

    @Test
    void nonCanonicalKeyOrderGivesTheSameResult() throws Exception {
        for (FixtureFrame frame : frames()) {
            if (!"#commit".equals(frame.type())) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            frame.body().fieldNames().forEachRemaining(keys::add);
            Collections.sort(keys, Collections.reverseOrder());
            keys.remove("blocks");
            keys.add(0, "blocks"); // the CAR before the ops: decided only once ops are read
            assertThat(keys.indexOf("blocks")).isLessThan(keys.indexOf("ops"));
            byte[] bytes = TestFrames.concat(DagCborWriter.encode(frame.header()), DagCborWriter.encodeInKeyOrder(frame.body(), keys));

            FirehoseEvent canonical = decoder.decode(frame.bytes());
            FirehoseEvent shuffled = decoder.decode(bytes);
            assertThat(shuffled.posts()).as(frame.name()).isEqualTo(canonical.posts());
            assertThat(shuffled.seq()).isEqualTo(canonical.seq());
        }
    }

    /** The posts a frame should yield, worked out from its JSON form without the codec's CAR/CBOR code. */
    private static List<Post> expectedPosts(FixtureFrame frame) throws Exception {
        List<Post> posts = new ArrayList<>();
        if (!"#commit".equals(frame.type())) {
            return posts;
        }
        JsonNode body = frame.body();
        // the test kit's own CAR reader, independent of the codec's CarReader
        var car = dev.firehose.ingest.testsupport.CarFile.parse(frame.car());
        for (JsonNode op : body.get("ops")) {
            String path = op.get("path").textValue();
            if (!op.get("action").textValue().equals("create") || !path.startsWith("app.bsky.feed.post/")) {
                continue;
            }
            String cid = op.get("cid").get("$link").textValue();
            var block = car.block(Cids.fromText(cid));
            assertThat(block).as("record block of %s", path).isNotNull();
            JsonNode record = PLAIN_CBOR.readTree(block.data());
            List<String> langs = new ArrayList<>();
            record.path("langs").forEach(l -> langs.add(l.textValue()));
            String rkey = path.substring(path.indexOf('/') + 1);
            String repo = body.get("repo").textValue();
            posts.add(new Post("at://" + repo + "/" + path, cid, repo, rkey, record.get("text").textValue(),
                    record.path("createdAt").textValue(), langs, body.get("seq").longValue(),
                    body.get("time").textValue(), null, null, null, null, null, null));
        }
        return posts;
    }
}
