package dev.firehose.ingest.atproto;

import dev.firehose.ingest.testsupport.Cids;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidTest {

    /** From interop/data-model-fixtures.json. */
    private static final String BLOB_CID = "bafkreiccldh766hwcnuxnf2wh6jgzepf2nlu2lvcllt63eww5p6chi4ity";
    private static final String RECORD_CID = "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a";

    @Test
    void parsesAndPrintsBase32() {
        Cid cid = Cid.fromString(RECORD_CID);
        assertThat(cid.toString()).isEqualTo(RECORD_CID);
        assertThat(cid.version()).isEqualTo(1);
        assertThat(cid.codec()).isEqualTo(Cid.DAG_CBOR);
        assertThat(cid.multihashCode()).isEqualTo(Cid.SHA2_256);
        assertThat(cid.digest()).hasSize(32);
        assertThat(cid.toBytes()).isEqualTo(Cids.fromText(RECORD_CID)).hasSize(36);

        Cid raw = Cid.fromString(BLOB_CID);
        assertThat(raw.codec()).isEqualTo(Cid.RAW);
        assertThat(raw.toString()).isEqualTo(BLOB_CID);
    }

    @Test
    void equalityIsByBytes() {
        byte[] b = Cids.fromText(RECORD_CID);
        assertThat(Cid.fromBytes(b)).isEqualTo(Cid.fromString(RECORD_CID)).hasSameHashCodeAs(Cid.fromString(RECORD_CID));
        assertThat(Cid.fromString(RECORD_CID)).isNotEqualTo(Cid.fromString(BLOB_CID));
        assertThat(Cid.fromString(RECORD_CID).matches(b, 0, b.length)).isTrue();
    }

    @Test
    void hashesBlocks() {
        byte[] block = "any bytes".getBytes(StandardCharsets.UTF_8);
        Cid cid = Cid.sha256Of(block);
        assertThat(cid.codec()).isEqualTo(Cid.DAG_CBOR);
        assertThat(cid.toString()).startsWith("bafyrei");
        assertThat(cid.verifies(block)).isTrue();
        block[0] ^= 1;
        assertThat(cid.verifies(block)).isFalse();
        // sha2-256 of the empty string, from FIPS 180-2 examples
        assertThat(HexFormat.of().formatHex(Cid.sha256Of(new byte[0]).digest()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void printsLegacyCidV0AsBase58() {
        // a bare sha2-256 multihash; expected text computed independently (Python big-int base58)
        byte[] v0 = HexFormat.of().parseHex("1220e2ac7e3b5ea63e1dc4d1a4fbab0e5db6c1c1e24ae38e1eb0a0ab6f8c3a8d6e7e");
        Cid cid = Cid.fromBytes(v0);
        assertThat(cid.version()).isZero();
        assertThat(cid.toString()).isEqualTo("QmdbVQKwR5VZRBNbi8F284TbM4ToRSEEi7UpFaLAP1CC8d");
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Cid.fromString("Qm123")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cid.fromString("b!!!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cid.fromString(".")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cid.fromBytes(new byte[] {1, 0x71, 0x12, 32, 1, 2})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cid.fromBytes(new byte[] {2, 0x71, 0x12, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThat(Cid.length(new byte[] {1, 0x71}, 0, 2)).isEqualTo(-1);
    }
}
