package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCorpusTest {

    private static final ObjectMapper PLAIN_CBOR = new ObjectMapper(new CBORFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Corpus corpus;

    @BeforeAll
    static void generate() {
        corpus = FrameCorpus.synthetic(1000, 5000, 42);
    }

    @Test
    void seqsStrictlyIncreaseFromFirstSeq() {
        assertThat(corpus.frames()).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(corpus.frames().get(i).seq()).isEqualTo(5000 + i);
        }
        assertThat(corpus.lastSeq()).isEqualTo(5999);
    }

    @Test
    void everyFrameIsTwoCborObjectsForPlainJacksonAndBodySeqMatches() throws Exception {
        for (RelayFrame frame : corpus.frames()) {
            List<JsonNode> values = new ArrayList<>();
            try (MappingIterator<JsonNode> it = PLAIN_CBOR.readerFor(JsonNode.class).readValues(frame.bytes())) {
                it.forEachRemaining(values::add);
            }
            assertThat(values).hasSize(2);
            assertThat(values.get(0).get("op").asInt()).isEqualTo(1);
            assertThat(values.get(1).get("seq").asLong()).isEqualTo(frame.seq());
        }
    }

    @Test
    void mixHasExactCountsPerHundredFrames() {
        Map<String, Integer> counts = new TreeMap<>();
        for (RelayFrame frame : corpus.frames()) {
            List<JsonNode> parts = AtJson.decodeSequence(frame.bytes());
            String type = parts.get(0).get("t").asText();
            counts.merge(type, 1, Integer::sum);
            for (JsonNode op : parts.get(1).path("ops")) {
                String collection = op.get("path").asText().split("/")[0];
                counts.merge(op.get("action").asText() + " " + collection, 1, Integer::sum);
            }
            if (parts.get(1).path("ops").size() == 2) {
                counts.merge("multi-op commits", 1, Integer::sum);
            }
        }
        // deletes hit earlier posts or likes as the seed picks; their total is exact
        int deletes = counts.getOrDefault("delete app.bsky.feed.post", 0)
                + counts.getOrDefault("delete app.bsky.feed.like", 0);
        assertThat(deletes).isEqualTo(80);
        counts.remove("delete app.bsky.feed.post");
        counts.remove("delete app.bsky.feed.like");
        assertThat(counts).isEqualTo(new TreeMap<>(Map.of(
                "#commit", 920, "#identity", 30, "#account", 20, "#sync", 30,
                "create app.bsky.feed.like", 500 + 20,   // likes + the like of each multi-op commit
                "create app.bsky.feed.repost", 100,
                "create app.bsky.graph.follow", 120,
                "create app.bsky.feed.post", 100 + 20,    // posts + the post of each multi-op commit
                "multi-op commits", 20)));
    }

    @Test
    void expectedPostsAreEveryPostCreateWithUniqueUrisAndMatchAnIndependentScan() {
        List<ExpectedPost> posts = corpus.posts();
        assertThat(posts).hasSize(120);
        Set<String> uris = new HashSet<>();
        for (ExpectedPost post : posts) {
            assertThat(uris.add(post.uri())).as("unique " + post.uri()).isTrue();
            assertThat(post.uri()).isEqualTo("at://" + post.author() + "/app.bsky.feed.post/" + post.rkey());
            assertThat(post.rkey()).matches("[234567a-j][234567a-z]{12}");
            assertThat(post.author()).matches("did:plc:[a-z2-7]{24}");
            assertThat(post.text()).isNotNull();
            assertThat(post.createdAt()).isNotNull();
        }
        assertThat(ExpectedPosts.fromFrames(corpus.frames())).isEqualTo(posts);
    }

    @Test
    void postsComeFromTheRealRepoRecords() {
        RepoRecords records = FrameCorpus.repoRecords();
        assertThat(records.posts()).hasSize(101 + 26 + 5 + 4);
        Set<String> realPostCids = new HashSet<>();
        records.posts().forEach(r -> realPostCids.add(r.block().cidText()));
        for (ExpectedPost post : corpus.posts()) {
            assertThat(realPostCids).contains(post.cid());
        }
        Corpus big = FrameCorpus.synthetic(20_000, 1, 3);
        Set<String> used = new HashSet<>();
        big.posts().forEach(p -> used.add(p.cid()));
        assertThat(used).hasSize(136); // all 136 real posts get used in a larger replay
        Set<String> uris = new HashSet<>();
        big.posts().forEach(p -> uris.add(p.uri()));
        assertThat(uris).hasSize(2400);
        assertThat(big.posts().stream().filter(p -> !p.langs().isEmpty()).count()).isPositive();
    }

    @Test
    void everyCommitCarholdsBlocksWhoseCidsMatchTheirBytes() {
        for (RelayFrame frame : corpus.frames()) {
            JsonNode body = AtJson.decodeSequence(frame.bytes()).get(1);
            if (!body.has("ops")) { // #sync frames carry a CAR too, checked by the decoder tests
                continue;
            }
            CarFile car = CarFile.parse(Base64.getDecoder().decode(body.get("blocks").get("$bytes").asText()));
            assertThat(Cids.toText(car.roots().get(0))).isEqualTo(body.get("commit").get("$link").asText());
            for (CarBlock block : car.blocks()) {
                assertThat(Cids.dagCbor(block.data())).isEqualTo(block.cid());
            }
            JsonNode commit = AtJson.decode(car.block(car.roots().get(0)).data());
            assertThat(commit.get("did").asText()).isEqualTo(body.get("repo").asText());
            assertThat(commit.get("rev").asText()).isEqualTo(body.get("rev").asText());
            for (JsonNode op : body.get("ops")) {
                if (op.get("action").asText().equals("create")) {
                    assertThat(car.block(Cids.fromText(op.get("cid").get("$link").asText()))).isNotNull();
                }
            }
        }
    }

    @Test
    void revsIncreasePerAuthorAndChainThroughSince() {
        Map<String, String> lastRev = new HashMap<>();
        for (RelayFrame frame : corpus.frames()) {
            JsonNode body = AtJson.decodeSequence(frame.bytes()).get(1);
            if (!body.has("rev") || !body.has("repo")) {
                continue; // not a #commit (a #sync announces the current rev)
            }
            String repo = body.get("repo").asText();
            String previous = lastRev.put(repo, body.get("rev").asText());
            if (previous == null) {
                assertThat(body.get("since").isNull()).isTrue();
            } else {
                assertThat(body.get("since").asText()).isEqualTo(previous);
                assertThat(body.get("rev").asText().compareTo(previous)).isPositive();
            }
        }
    }

    @Test
    void sameSeedSameBytes() {
        Corpus again = FrameCorpus.synthetic(1000, 5000, 42);
        for (int i = 0; i < 1000; i++) {
            assertThat(again.frames().get(i).bytes()).isEqualTo(corpus.frames().get(i).bytes());
        }
    }

    @Test
    void frameFileRoundTrips(@TempDir Path dir) {
        Path file = dir.resolve("frames.bin");
        FrameCorpus.writeFile(file, corpus.frames());
        List<RelayFrame> read = FrameCorpus.readFile(file);
        assertThat(read).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(read.get(i).seq()).isEqualTo(corpus.frames().get(i).seq());
            assertThat(read.get(i).bytes()).isEqualTo(corpus.frames().get(i).bytes());
        }
    }

    @Test
    void fixtureScenariosEncodeAndRoundTripToTheirJson() throws Exception {
        List<RelayFrame> frames = FrameCorpus.fromFixtureScenarios();
        List<JsonNode> expected = new ArrayList<>();
        for (String name : List.of("relay-testing-account_lifecycle.json", "relay-testing-deactivation.json",
                "relay-testing-legacy.json", "relay-testing-post_lifecycle.json",
                "relay-testing-post_lifecycle_legacy.json", "relay-testing-rev_ordering.json",
                "relay-testing-seq_ordering.json")) {
            for (JsonNode message : JSON.readTree(Fixtures.firehose(name).toFile()).get("messages")) {
                expected.add(message.get("frame"));
            }
        }
        for (String name : List.of("firehose_commit_4621317030.json", "firehose_commit_4621317332.json",
                "firehose_commit_4621332152.json", "firehose_commit_4623075231.json")) {
            ObjectNode frame = JsonNodeFactory.instance.objectNode();
            frame.set("header", JsonNodeFactory.instance.objectNode().put("op", 1).put("t", "#commit"));
            frame.set("body", JSON.readTree(Fixtures.firehose(name).toFile()));
            expected.add(frame);
        }
        assertThat(frames).hasSize(4 + 8 + 3 + 6 + 6 + 4 + 4 + 4);
        assertThat(expected).hasSize(frames.size());
        int commits = 0;
        for (int i = 0; i < frames.size(); i++) {
            List<JsonNode> decoded = AtJson.decodeSequence(frames.get(i).bytes());
            assertThat(decoded).hasSize(2);
            assertThat(normalize(decoded.get(0))).isEqualTo(normalize(expected.get(i).get("header")));
            assertThat(normalize(decoded.get(1))).isEqualTo(normalize(expected.get(i).get("body")));
            assertThat(frames.get(i).seq()).isEqualTo(expected.get(i).get("body").get("seq").asLong());
            if (decoded.get(0).get("t").asText().equals("#commit")) {
                commits++;
                // the real CARs inside real frames: every block's CID is sha2-256 of its bytes
                CarFile car = CarFile.parse(Base64.getDecoder().decode(decoded.get(1).get("blocks").get("$bytes").asText()));
                for (CarBlock block : car.blocks()) {
                    assertThat(Cids.dagCbor(block.data())).isEqualTo(block.cid());
                }
            }
        }
        assertThat(commits).isEqualTo(6 + 1 + 6 + 6 + 4 + 2 + 4); // deactivation, legacy, post_lifecycle(_legacy), rev, seq, bare
        // post_lifecycle creates two posts (one in the post+threadgate+postgate commit)
        assertThat(ExpectedPosts.fromFrames(FrameCorpus.fromFixtureFile("relay-testing-post_lifecycle.json")))
                .extracting(ExpectedPost::uri)
                .containsExactly("at://did:plc:44ybard66vv44zksje25o7dz/app.bsky.feed.post/3lmxjzlexp22k",
                        "at://did:plc:44ybard66vv44zksje25o7dz/app.bsky.feed.post/3lmxk35znys2k");
    }

    /** Key order and number width do not matter; base64 padding does not either. */
    private static JsonNode normalize(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node.isObject()) {
            if (node.size() == 1 && node.has("$bytes")) {
                return f.objectNode().put("$bytes", Base64.getEncoder().withoutPadding()
                        .encodeToString(Base64.getDecoder().decode(node.get("$bytes").asText())));
            }
            ObjectNode sorted = f.objectNode();
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            names.sort(null);
            names.forEach(n -> sorted.set(n, normalize(node.get(n))));
            return sorted;
        }
        if (node.isArray()) {
            var array = f.arrayNode();
            node.forEach(item -> array.add(normalize(item)));
            return array;
        }
        if (node.isIntegralNumber()) {
            return f.numberNode(node.bigIntegerValue());
        }
        return node;
    }
}
