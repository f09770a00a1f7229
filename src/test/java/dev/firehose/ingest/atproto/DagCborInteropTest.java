package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firehose.ingest.testsupport.DagCborWriter;
import dev.firehose.ingest.testsupport.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bluesky-social/atproto-interop-tests data-model vectors. */
class DagCborInteropTest {

    @Test
    void fixturesDecodeToTheirJsonAndHashToTheirCid() throws Exception {
        JsonNode vectors = JSON.readTree(Fixtures.interop("data-model-fixtures.json").toFile());
        assertThat(vectors).hasSize(3);
        for (JsonNode v : vectors) {
            byte[] cbor = Base64.getDecoder().decode(v.get("cbor_base64").textValue());
            assertThat(DagCbor.standard().decode(cbor)).isEqualTo(v.get("json"));
            assertThat(Cid.sha256Of(cbor).toString()).isEqualTo(v.get("cid").textValue());
            // and our test encoder reproduces the exact canonical bytes
            assertThat(DagCborWriter.encode(v.get("json"))).isEqualTo(cbor);
        }
    }

    @Test
    void validValuesRoundTrip() throws Exception {
        JsonNode vectors = JSON.readTree(Fixtures.interop("data-model-valid.json").toFile());
        for (JsonNode v : vectors) {
            JsonNode json = v.get("json");
            JsonNode decoded = DagCbor.standard().decode(DagCborWriter.encode(json));
            // "float, but integer-like" 123.0 is the integer 123 in the data model
            assertThat(decoded).as(v.get("note").textValue()).isEqualTo(JSON.readTree(json.toString().replace("123.0", "123")));
        }
    }

    @Test
    void invalidValuesAreRejectedWhereTheRuleIsAboutCbor() throws Exception {
        JsonNode vectors = JSON.readTree(Fixtures.interop("data-model-invalid.json").toFile());
        int checked = 0;
        for (JsonNode v : vectors) {
            String note = v.get("note").textValue();
            JsonNode json = v.get("json");
            switch (note) {
                case "float" -> {
                    // expressible in CBOR (a float64), forbidden by the atproto data model
                    byte[] cbor = DagCborWriter.encodeAllowingFloats(json);
                    assertThatThrownBy(() -> DagCbor.standard().decode(cbor)).as(note).isInstanceOf(DagCborException.class)
                            .hasMessageContaining("float");
                    checked++;
                }
                case "bytes with wrong field type", "bytes with extra fields", "link with wrong field type",
                        "link with bogus CID", "link with extra fields" -> {
                    // AT-JSON spellings with no CBOR counterpart: the encoder refuses them, and DagCbor only ever
                    // emits single-field $link/$bytes objects with a valid CID / base64 string
                    assertThatThrownBy(() -> DagCborWriter.encode(json)).as(note).isInstanceOf(IllegalArgumentException.class);
                    checked++;
                }
                default -> {
                    // top-level not an object, $type null/123/"", blob shapes: record/lexicon rules, not CBOR ones;
                    // the post mapper's $type check is covered in PostRecordMapperTest
                }
            }
        }
        assertThat(checked).isEqualTo(6);
    }
}
