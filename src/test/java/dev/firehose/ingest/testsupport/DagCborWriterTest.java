package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test-side encoders against the atproto interop vectors and the real repo CARs. */
class DagCborWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void encodesTheInteropVectorsByteForByteWithTheirCids() throws Exception {
        JsonNode vectors = JSON.readTree(Fixtures.interop("data-model-fixtures.json").toFile());
        assertThat(vectors.size()).isEqualTo(3);
        for (JsonNode vector : vectors) {
            byte[] expected = Base64.getDecoder().decode(vector.get("cbor_base64").asText());
            byte[] encoded = DagCborWriter.encode(vector.get("json"));
            assertThat(encoded).isEqualTo(expected);
            assertThat(Cids.textOfDagCbor(encoded)).isEqualTo(vector.get("cid").asText());
            assertThat(AtJson.decode(encoded)).isEqualTo(vector.get("json"));
        }
    }

    @Test
    void reEncodingEveryRealRepoBlockGivesTheSameBytesAndCid() {
        int blocks = 0;
        for (String repo : List.of("paul_staging.repo.car", "fakermaker.repo.car", "rsky-valid_repo.car",
                "arroba-snarfed2.car", "greenground.repo.car", "divy.repo.car")) {
            CarFile car = CarFile.read(Fixtures.repo(repo));
            for (CarBlock block : car.blocks()) {
                assertThat(Cids.dagCbor(block.data())).isEqualTo(block.cid());
                assertThat(DagCborWriter.encode(AtJson.decode(block.data()))).isEqualTo(block.data());
                blocks++;
            }
        }
        assertThat(blocks).isEqualTo(458 + 690 + 12 + 8 + 4 + 9);
    }

    @Test
    void carWriterRoundTripsThroughTheReader() {
        CarFile original = CarFile.read(Fixtures.repo("rsky-valid_repo.car"));
        byte[] written = CarWriter.write(original.roots(), original.blocks());
        CarFile reread = CarFile.parse(written);
        assertThat(reread.roots()).containsExactlyElementsOf(original.roots());
        assertThat(reread.blocks()).hasSize(12);
        for (int i = 0; i < 12; i++) {
            assertThat(reread.blocks().get(i).cid()).isEqualTo(original.blocks().get(i).cid());
            assertThat(reread.blocks().get(i).data()).isEqualTo(original.blocks().get(i).data());
        }
    }

    @Test
    void canonicalDetails() throws Exception {
        // keys by length then bytewise; shortest ints; negative ints; no floats
        assertThat(DagCborWriter.encode(JSON.readTree("{\"bb\":1,\"a\":2,\"ab\":3}")))
                .isEqualTo(new byte[]{(byte) 0xa3, 0x61, 'a', 0x02, 0x62, 'a', 'b', 0x03, 0x62, 'b', 'b', 0x01});
        assertThat(DagCborWriter.encode(JSON.readTree("23"))).isEqualTo(new byte[]{0x17});
        assertThat(DagCborWriter.encode(JSON.readTree("24"))).isEqualTo(new byte[]{0x18, 0x18});
        assertThat(DagCborWriter.encode(JSON.readTree("-500"))).isEqualTo(new byte[]{0x39, 0x01, (byte) 0xf3});
        assertThat(DagCborWriter.encode(JSON.readTree("7278969008")))
                .isEqualTo(new byte[]{0x1b, 0, 0, 0, 1, (byte) 0xb1, (byte) 0xdc, 0x40, (byte) 0xb0}); // 0x1_B1DC_40B0
        assertThatThrownBy(() -> DagCborWriter.encode(JSON.readTree("1.5"))).isInstanceOf(IllegalArgumentException.class);
        // integer-like numbers are integers; a float64 only when asked for
        assertThat(DagCborWriter.encode(JSON.readTree("123.0"))).isEqualTo(new byte[]{0x18, 0x7b});
        assertThat(DagCborWriter.encodeAllowingFloats(JSON.readTree("1.5")))
                .isEqualTo(new byte[]{(byte) 0xfb, 0x3f, (byte) 0xf8, 0, 0, 0, 0, 0, 0});
        // $link/$bytes objects must be exactly one string field
        assertThatThrownBy(() -> DagCborWriter.encode(JSON.readTree("{\"$link\":1}"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DagCborWriter.encode(JSON.readTree("{\"$bytes\":\"AA\",\"x\":1}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tidsAreThirteenSortableCharsAndIncrease() {
        Tids tids = new Tids(1_700_000_000_000_000L, 5);
        String a = tids.next();
        String b = tids.next();
        assertThat(a).hasSize(13).matches("[234567a-j][234567a-z]{12}");
        assertThat(a.compareTo(b)).isLessThan(0);
        assertThat(Tids.encode(0, 0)).isEqualTo("2222222222222");
    }

    @Test
    void cidTextRoundTrips() {
        String text = "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a";
        assertThat(Cids.toText(Cids.fromText(text))).isEqualTo(text);
        assertThat(Cids.fromText(text)).hasSize(36);
        assertThatThrownBy(() -> Cids.fromText(".")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cids.fromText("baaaaaaaa")).isInstanceOf(IllegalArgumentException.class); // not CIDv1
    }
}
