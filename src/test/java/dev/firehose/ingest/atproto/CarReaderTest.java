package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.firehose.ingest.testsupport.DagCborWriter;
import dev.firehose.ingest.testsupport.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repo exports under fixtures/repos: real CARv1 files written by Bluesky's PDS and other implementations. */
class CarReaderTest {

    /** A plain Jackson CBOR mapper: an independent reading of record blocks. */
    private static final ObjectMapper PLAIN_CBOR = new ObjectMapper(new CBORFactory());

    @ParameterizedTest
    @ValueSource(strings = {"paul_staging.repo.car", "fakermaker.repo.car", "greenground.repo.car",
            "bafyreieovfuizojpw3zresz7sx3nk4trm2by23pt5rxbey3jme4uo5ogiu.car", "divy.repo.car",
            "arroba-snarfed2.car", "rsky-valid_repo.car"})
    void everyRepoParsesVerifiesAndHasItsRoot(String name) throws Exception {
        CarFile car = CarReader.read(Files.readAllBytes(Fixtures.repo(name)));

        assertThat(car.roots()).isNotEmpty();
        assertThat(car.blocks()).isNotEmpty();
        for (Cid root : car.roots()) {
            assertThat(car.block(root)).as("root block %s", root).isNotNull();
        }
        for (CarBlock block : car.blocks().values()) {
            assertThat(block.verifies()).as("block %s hashes to its CID", block.cid()).isTrue();
            DagCbor.standard().decode(block.source(), block.offset(), block.length()); // every block is strict DAG-CBOR
        }
    }

    @Test
    void repoSliceParses() throws Exception {
        // a partial repo: the commit, one MST path and the one record at its end
        CarFile car = CarReader.read(Files.readAllBytes(Fixtures.repo("repo_slice.car")));
        assertThat(car.roots()).hasSize(1);
        assertThat(car.blocks().values()).allMatch(CarBlock::verifies);
        assertThat(posts(car)).singleElement().satisfies(p -> assertThat(p.get("text").textValue())
                .startsWith("@ledner9213-c6.test Luck yesterday"));
    }

    @Test
    void paulStagingHasItsHundredAndOnePostsWithExactText() throws Exception {
        CarFile car = CarReader.read(Files.readAllBytes(Fixtures.repo("paul_staging.repo.car")));
        List<JsonNode> posts = posts(car);

        assertThat(posts).hasSize(101);
        List<String> texts = posts.stream().map(p -> p.get("text").textValue()).toList();
        // read off the raw CAR bytes with `strings`, lengths checked against the CBOR text heads, not through the codec
        assertThat(texts).contains("Big quote poastin", "Hello from the web app!",
                "Quick composer test @dholms.dev and https://atproto.com", "Tall with text", "Kitmo!");
    }

    @Test
    void decodedRecordsMatchAPlainJacksonReading() throws Exception {
        CarFile car = CarReader.read(Files.readAllBytes(Fixtures.repo("paul_staging.repo.car")));
        int compared = 0;
        for (CarBlock block : car.blocks().values()) {
            JsonNode ours = DagCbor.standard().decode(block.source(), block.offset(), block.length());
            if (!"app.bsky.feed.post".equals(ours.path("$type").asText())) {
                continue;
            }
            JsonNode plain = PLAIN_CBOR.readTree(block.bytes());
            assertThat(ours.get("text").textValue()).isEqualTo(plain.get("text").textValue());
            assertThat(ours.get("createdAt").textValue()).isEqualTo(plain.get("createdAt").textValue());
            compared++;
        }
        assertThat(compared).isEqualTo(101);
    }

    @Test
    void otherReposHaveTheirDocumentedPostCounts() throws Exception {
        assertThat(posts(read("fakermaker.repo.car"))).hasSize(26);
        assertThat(posts(read("bafyreieovfuizojpw3zresz7sx3nk4trm2by23pt5rxbey3jme4uo5ogiu.car"))).hasSize(5);
        List<JsonNode> rsky = posts(read("rsky-valid_repo.car"));
        assertThat(rsky).hasSize(4);
        assertThat(rsky).filteredOn(p -> p.has("reply")).isNotEmpty();
        assertThat(rsky.stream().map(p -> p.get("text").textValue())).contains("Post 1", "Post 2", "Reply 1", "Reply 2");
    }

    @Test
    void blocksAreSlicesOfTheSourceNotCopies() throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.repo("greenground.repo.car"));
        CarFile car = CarReader.read(bytes);
        for (CarBlock block : car.blocks().values()) {
            assertThat(block.source()).isSameAs(bytes);
            assertThat(block.cid().matches(bytes, block.offset() - block.cid().byteLength(), block.cid().byteLength())).isTrue();
        }
    }

    @Test
    void readsACarInsideALargerArray() throws Exception {
        byte[] car = Files.readAllBytes(Fixtures.repo("divy.repo.car"));
        byte[] padded = TestFrames.concat(new byte[] {9, 9, 9}, car, new byte[] {7});
        CarFile inner = CarReader.read(padded, 3, car.length, DecodeLimits.defaults());
        assertThat(inner.blocks().keySet()).isEqualTo(CarReader.read(car).blocks().keySet());
    }

    @Test
    void rejectsMalformedCars() throws Exception {
        byte[] car = Files.readAllBytes(Fixtures.repo("greenground.repo.car"));
        assertBad(new byte[0]);
        assertBad(new byte[] {0});
        assertBad(new byte[] {5, 1, 2});
        assertBad(Arrays.copyOf(car, car.length - 3));             // last section cut short
        byte[] badCid = car.clone();
        int firstSection = 1 + (car[0] & 0x7f) + 1;                // header varint is one byte here
        badCid[firstSection] = 7;                                  // CID version 7
        assertBad(badCid);
        byte[] headerV2 = car.clone();
        int v = indexOf(headerV2, "version".getBytes());
        headerV2[v + 7] = 2;
        assertBad(headerV2);
    }

    @Test
    void rejectsHeadersWithoutVersionOneAndLinkedRoots() throws Exception {
        byte[] car = Files.readAllBytes(Fixtures.repo("greenground.repo.car"));
        int headerLength = car[0];                                 // one varint byte here
        byte[] blocks = Arrays.copyOfRange(car, 1 + headerLength, car.length);
        ObjectNode header = (ObjectNode) DagCbor.standard().decode(car, 1, headerLength);
        assertThat(CarReader.read(withHeader(header, blocks)).roots()).isEqualTo(CarReader.read(car).roots());

        assertBad(withHeader(header.deepCopy().put("version", 2), blocks));
        assertBad(withHeader(header.deepCopy().put("version", "1"), blocks));
        ObjectNode noVersion = header.deepCopy();
        noVersion.remove("version");
        assertBad(withHeader(noVersion, blocks));
        ObjectNode nestedVersion = noVersion.deepCopy();
        nestedVersion.putObject("version").put("version", 1);      // a version 1 one level down is not the header's
        assertBad(withHeader(nestedVersion, blocks));
        ObjectNode noRoots = header.deepCopy();
        noRoots.remove("roots");
        assertBad(withHeader(noRoots, blocks));
        // a root must be a link (tag 42), not the CID's text or its bytes untagged
        ObjectNode textRoot = header.deepCopy();
        textRoot.putArray("roots").add(header.get("roots").get(0).get("$link").asText());
        assertBad(withHeader(textRoot, blocks));
        ObjectNode bytesRoot = header.deepCopy();
        bytesRoot.putArray("roots").addObject().put("$bytes", "AXESIA");
        assertBad(withHeader(bytesRoot, blocks));
        assertBad(withHeader(header.deepCopy().put("roots", "none"), blocks));
    }

    private static byte[] withHeader(ObjectNode header, byte[] blocks) {
        byte[] encoded = DagCborWriter.encode(header);
        return TestFrames.concat(Varint.encode(encoded.length), encoded, blocks);
    }

    @Test
    void enforcesBlockLimits() throws Exception {
        byte[] car = Files.readAllBytes(Fixtures.repo("fakermaker.repo.car"));
        assertThatThrownBy(() -> CarReader.read(car, 0, car.length, new DecodeLimits(1 << 20, 128, 10, 1 << 20, 10)))
                .isInstanceOf(CarFormatException.class)
                .satisfies(e -> assertThat(((CarFormatException) e).isLimitExceeded()).isTrue());
        assertThatThrownBy(() -> CarReader.read(car, 0, car.length, new DecodeLimits(1 << 20, 128, 10_000, 100, 10)))
                .isInstanceOf(CarFormatException.class)
                .satisfies(e -> assertThat(((CarFormatException) e).isLimitExceeded()).isTrue());
    }

    private static void assertBad(byte[] bytes) {
        assertThatThrownBy(() -> CarReader.read(bytes))
                .isInstanceOf(CarFormatException.class)
                .satisfies(e -> assertThat(((CarFormatException) e).isLimitExceeded()).isFalse());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    static CarFile read(String name) throws IOException, CarFormatException {
        return CarReader.read(Files.readAllBytes(Fixtures.repo(name)));
    }

    /** Every block that decodes to an app.bsky.feed.post record. */
    static List<JsonNode> posts(CarFile car) throws DagCborException {
        List<JsonNode> posts = new ArrayList<>();
        for (CarBlock block : car.blocks().values()) {
            JsonNode node = DagCbor.standard().decode(block.source(), block.offset(), block.length());
            if ("app.bsky.feed.post".equals(node.path("$type").asText())) {
                posts.add(node);
            }
        }
        return posts;
    }
}
