package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdDecompressCtx;
import dev.firehose.ingest.jetstream.JetstreamDictionary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Jetstream event generator, checked with plain Jackson and plain zstd-jni (not the production codec). */
class TestJetstreamCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JetstreamCorpus posts;
    private static JetstreamCorpus firehose;
    private static Map<String, RepoRecords.RecordBlock> blocksByCid;

    @BeforeAll
    static void generate() {
        posts = JetstreamCorpus.posts(1000, 42);
        firehose = JetstreamCorpus.firehose(1000, 42);
        RepoRecords records = FrameCorpus.repoRecords();
        blocksByCid = new HashMap<>();
        for (List<RepoRecords.RecordBlock> pool : List.of(records.posts(), records.likes(), records.reposts(),
                records.follows(), records.profiles())) {
            pool.forEach(r -> blocksByCid.put(r.block().cidText(), r));
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherStream() {
        JetstreamCorpus again = JetstreamCorpus.posts(1000, 42);
        JetstreamCorpus other = JetstreamCorpus.posts(1000, 43);
        for (int i = 0; i < 1000; i++) {
            assertThat(again.events().get(i).json()).isEqualTo(posts.events().get(i).json());
            assertThat(again.events().get(i).zstd()).isEqualTo(posts.events().get(i).zstd());
        }
        assertThat(other.events().stream().map(e -> new String(e.json(), StandardCharsets.UTF_8)).toList())
                .isNotEqualTo(posts.events().stream().map(e -> new String(e.json(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    void timeUsStrictlyIncreasesFromTheStart() {
        for (JetstreamCorpus corpus : List.of(posts, firehose)) {
            assertThat(corpus.firstTimeUs()).isEqualTo(SyntheticJetstream.DEFAULT_FIRST_TIME_US);
            for (int i = 1; i < corpus.events().size(); i++) {
                assertThat(corpus.events().get(i).timeUs()).isGreaterThan(corpus.events().get(i - 1).timeUs());
            }
        }
        // ~40 events a second for the posts mix, ~1,500 unfiltered
        assertThat((posts.lastTimeUs() - posts.firstTimeUs()) / 999.0).isBetween(20_000.0, 30_000.0);
        assertThat((firehose.lastTimeUs() - firehose.firstTimeUs()) / 999.0).isBetween(500.0, 850.0);
        JetstreamCorpus later = JetstreamCorpus.generate(JetstreamMix.POSTS, 10, 7, posts.lastTimeUs() + 1);
        assertThat(later.firstTimeUs()).isEqualTo(posts.lastTimeUs() + 1);
    }

    @Test
    void eachEventIsJetstreamJsonWithItsMetadata() throws IOException {
        for (JetstreamCorpus corpus : List.of(posts, firehose)) {
            for (JetstreamWireEvent event : corpus.events()) {
                JsonNode json = JSON.readTree(event.json());
                List<String> fields = new ArrayList<>();
                json.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).containsExactly("did", "time_us", "kind", event.kind());
                assertThat(json.get("did").asText()).isEqualTo(event.did());
                assertThat(json.get("time_us").asLong()).isEqualTo(event.timeUs());
                assertThat(json.get("kind").asText()).isEqualTo(event.kind());
                if (event.isCommit()) {
                    JsonNode commit = json.get("commit");
                    assertThat(commit.get("operation").asText()).isEqualTo(event.operation());
                    assertThat(commit.get("collection").asText()).isEqualTo(event.collection());
                    assertThat(commit.get("rkey").asText()).isEqualTo(event.rkey());
                    assertThat(commit.get("rev").asText()).hasSize(13);
                    List<String> commitFields = new ArrayList<>();
                    commit.fieldNames().forEachRemaining(commitFields::add);
                    if (event.operation().equals("delete")) {
                        assertThat(commitFields).containsExactly("rev", "operation", "collection", "rkey");
                    } else {
                        assertThat(commitFields).containsExactly("rev", "operation", "collection", "rkey", "record", "cid");
                    }
                } else {
                    assertThat(json.get(event.kind()).get("did").asText()).isEqualTo(event.did());
                }
            }
        }
    }

    @Test
    void recordsAreTheRealFixtureRecordsInAtJson() throws IOException {
        int checked = 0;
        for (JetstreamWireEvent event : firehose.events()) {
            if (!event.isCommit() || event.operation().equals("delete")) {
                continue;
            }
            JsonNode commit = JSON.readTree(event.json()).get("commit");
            RepoRecords.RecordBlock block = blocksByCid.get(commit.get("cid").asText());
            assertThat(block).as("cid %s is a fixture block", commit.get("cid")).isNotNull();
            // the CID is the block's real sha2-256, and the record is that block in AT-JSON
            assertThat(Cids.toText(Cids.dagCbor(block.block().data()))).isEqualTo(commit.get("cid").asText());
            assertThat(commit.get("record")).isEqualTo(AtJson.decode(block.block().data()));
            assertThat(commit.get("collection").asText()).isEqualTo(block.collection());
            checked++;
        }
        assertThat(checked).isGreaterThan(800);
    }

    @Test
    void keysOfRecordsAreSortedAsGoWritesThem() throws IOException {
        for (JetstreamWireEvent event : firehose.events()) {
            assertSortedKeys(JSON.readTree(event.json()).path("commit").path("record"));
        }
    }

    @Test
    void htmlCharactersAndLineSeparatorsAreEscapedAsGoWritesThem() throws IOException {
        JsonNode node = JSON.createObjectNode().put("text", "<a href> & \u2028 \u2029 é");
        String written = new String(GoJson.bytes(node), StandardCharsets.UTF_8);
        assertThat(written).isEqualTo("{\"text\":\"\\u003Ca href\\u003E \\u0026 \\u2028 \\u2029 é\"}");
        assertThat(JSON.readTree(written)).isEqualTo(node);
    }

    @Test
    void mixesHaveExactCountsPerHundredEvents() {
        assertThat(counts(posts)).isEqualTo(new TreeMap<>(Map.of(
                "create app.bsky.feed.post", 850, "delete app.bsky.feed.post", 90, "identity", 40, "account", 20)));
        Map<String, Integer> all = counts(firehose);
        int deletes = all.getOrDefault("delete app.bsky.feed.post", 0) + all.getOrDefault("delete app.bsky.feed.like", 0);
        assertThat(deletes).isEqualTo(80);
        all.remove("delete app.bsky.feed.post");
        all.remove("delete app.bsky.feed.like");
        assertThat(all).isEqualTo(new TreeMap<>(Map.of(
                "create app.bsky.feed.like", 500, "create app.bsky.feed.repost", 100, "create app.bsky.graph.follow", 120,
                "create app.bsky.feed.post", 120, "update app.bsky.actor.profile", 30, "identity", 30, "account", 20)));
        for (int block = 0; block < 10; block++) {
            List<JetstreamWireEvent> hundred = posts.events().subList(block * 100, block * 100 + 100);
            assertThat(hundred.stream().filter(e -> "create".equals(e.operation())).count()).isEqualTo(85);
        }
    }

    @Test
    void deletesRemoveRecordsCreatedEarlierInTheStreamWhileThereAreAny() {
        Set<String> outstanding = new HashSet<>();
        int ofEarlier = 0;
        int ofOlder = 0;
        for (JetstreamWireEvent event : firehose.events()) {
            String key = event.did() + "/" + event.collection() + "/" + event.rkey();
            if ("create".equals(event.operation()) && !RepoRecords.FOLLOW.equals(event.collection())
                    && !RepoRecords.REPOST.equals(event.collection())) {
                outstanding.add(key);
            } else if ("delete".equals(event.operation())) {
                if (outstanding.remove(key)) {
                    ofEarlier++;
                } else {
                    // a post from before the stream began: only when none of the stream's own was left to delete
                    assertThat(outstanding).isEmpty();
                    assertThat(event.collection()).isEqualTo(RepoRecords.POST);
                    ofOlder++;
                }
            }
        }
        assertThat(ofEarlier + ofOlder).isEqualTo(80);
        assertThat(ofEarlier).isGreaterThan(70);
    }

    @Test
    void expectedPostsAreThePostCreatesReadIndependently() throws IOException {
        for (JetstreamCorpus corpus : List.of(posts, firehose)) {
            List<ExpectedJetstreamPost> derived = new ArrayList<>();
            for (JetstreamWireEvent event : corpus.events()) {
                if ("create".equals(event.operation()) && RepoRecords.POST.equals(event.collection())) {
                    JsonNode commit = JSON.readTree(event.json()).get("commit");
                    CarBlock block = blocksByCid.get(commit.get("cid").asText()).block();
                    derived.add(ExpectedJetstreamPost.of(event.did(), event.rkey(), block, event.timeUs()));
                }
            }
            assertThat(corpus.posts()).isEqualTo(derived);
        }
        ExpectedJetstreamPost first = posts.posts().get(0);
        JsonNode record = JSON.readTree(posts.events().stream().filter(e -> e.timeUs() == first.timeUs())
                .findFirst().orElseThrow().json()).get("commit").get("record");
        assertThat(first.text()).isEqualTo(record.get("text").asText());
        assertThat(first.uri()).isEqualTo("at://" + first.author() + "/app.bsky.feed.post/" + first.rkey());
        assertThat(first.time()).matches("2025-04-16T21:30:00\\.\\d{3}Z");
        assertThat(posts.posts()).hasSize(850);
        assertThat(ExpectedJetstreamPost.acceptedByDefaultFilter(posts.posts())).isNotEmpty().hasSizeLessThan(850);
    }

    @Test
    void identityAndAccountEventsLookLikeJetstreams() throws IOException {
        for (JetstreamWireEvent event : posts.events()) {
            if (event.isCommit()) {
                continue;
            }
            JsonNode payload = JSON.readTree(event.json()).get(event.kind());
            assertThat(payload.get("seq").isIntegralNumber()).isTrue();
            assertThat(payload.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            if (event.kind().equals("account")) {
                assertThat(payload.get("active").isBoolean()).isTrue();
                assertThat(payload.has("status")).isEqualTo(!payload.get("active").asBoolean());
            } else {
                assertThat(payload.get("handle").asText()).endsWith(".bsky.social");
            }
        }
    }

    @Test
    void zstdFormIsTheJsonCompressedWithJetstreamsDictionary() {
        try (ZstdDecompressCtx zstd = new ZstdDecompressCtx()) {
            zstd.loadDict(JetstreamDictionary.bundledBytes());
            for (JetstreamWireEvent event : posts.events()) {
                assertThat(zstd.decompress(event.zstd(), event.json().length)).isEqualTo(event.json());
                assertThat(event.zstd().length).isLessThan(event.json().length);
            }
        }
    }

    @Test
    void eventsFileRoundTripsBothEncodings(@TempDir Path dir) {
        for (boolean zstd : new boolean[] {false, true}) {
            Path file = dir.resolve("events-" + zstd + ".bin");
            JetstreamEventFile.write(file, posts.events(), zstd);
            JetstreamEventFile.Contents read = JetstreamEventFile.read(file);
            assertThat(read.zstd()).isEqualTo(zstd);
            assertThat(read.entries()).hasSize(posts.events().size());
            for (int i = 0; i < posts.events().size(); i++) {
                assertThat(read.entries().get(i).timeUs()).isEqualTo(posts.events().get(i).timeUs());
                assertThat(read.entries().get(i).message()).isEqualTo(posts.events().get(i).message(zstd));
            }
        }
    }

    @Test
    void aFileOfAnotherKindIsRefused(@TempDir Path dir) throws IOException {
        Path frames = dir.resolve("frames.bin");
        FrameFile.write(frames, FrameCorpus.synthetic(10, 1, 1).frames());
        assertThatThrownBy(() -> JetstreamEventFile.read(frames)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("not a Jetstream events file");
        Path badEncoding = dir.resolve("bad.bin");
        java.nio.file.Files.write(badEncoding, new byte[] {'F', 'H', 'J', 'E', 'T', 'S', 'T', '1', 7});
        assertThatThrownBy(() -> JetstreamEventFile.read(badEncoding)).hasMessageContaining("unknown encoding 7");
    }

    @Test
    void mainWritesAnEventsFile(@TempDir Path dir) {
        Path file = dir.resolve("jetstream-firehose-300.bin");
        JetstreamCorpus.main(new String[] {file.toString(), "300", "firehose", "7", "--zstd"});
        JetstreamEventFile.Contents read = JetstreamEventFile.read(file);
        JetstreamCorpus same = JetstreamCorpus.firehose(300, 7);
        assertThat(read.zstd()).isTrue();
        assertThat(read.entries()).hasSize(300);
        assertThat(Arrays.equals(read.entries().get(299).message(), same.events().get(299).zstd())).isTrue();
    }

    private static Map<String, Integer> counts(JetstreamCorpus corpus) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JetstreamWireEvent event : corpus.events()) {
            String key = event.isCommit() ? event.operation() + " " + event.collection() : event.kind();
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    private static void assertSortedKeys(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            assertThat(names).isSorted();
        }
        node.forEach(TestJetstreamCorpusTest::assertSortedKeys);
    }
}
