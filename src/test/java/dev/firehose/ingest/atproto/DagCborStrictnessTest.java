package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hand-made byte sequences that are CBOR, and that Jackson would read, but that DAG-CBOR forbids. */
class DagCborStrictnessTest {

    private static final String LINK = "d82a5825000171122065062a5a5a00fc16d73c6944237ccbc15b1c4a7234489336891d091741a239d0";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "indefinite map,             bf616101ff,             indefinite",
            "indefinite array,           9f01ff,                 indefinite",
            "indefinite text,            a161617f61616162ff,    indefinite",
            "integer map key,            a10102,                 map keys",
            "bytes map key,              a1410102,               map keys",
            "duplicate key,              a2616101616102,         duplicate",
            "tag other than 42,          a16161c11a5f5e1000,     tag 1",
            "tag 42 over text,           a16161d82a6161,         byte string",
            "tag 42 without 0x00,        a16161d82a42017f,       0x00",
            "tag 42 over bad CID,        a16161d82a4400070809,   CID",
            "undefined,                  a16161f7,               undefined",
            "simple value,               a16161f0,               simple value",
            "NaN,                        a16161fb7ff8000000000000, NaN",
            "Infinity,                   a16161fb7ff0000000000000, NaN",
            "half float,                 a16161f93c00,           float",
            "float64,                    a16161fb3ff8000000000000, float",
            "invalid UTF-8 value,        a1616162c328,           UTF-8",
            "overlong UTF-8,             a1616162c0af,           UTF-8",
            "UTF-8 surrogate,            a1616163eda080,         UTF-8",
            "invalid UTF-8 key,          a162c32801,             UTF-8",
            "trailing bytes,             a161610100,             trailing",
            "truncated head,             a161611a0000,           truncated",
            "too few entries,            a2616101,               past the end",
            "string past end,            a161617a7fffffff,       past the end",
            "huge map count,             bb7fffffffffffffff,     past the end",
            "reserved info,              a161611c,               reserved",
            "stray break,                a16161ff,               break",
    })
    void rejects(String what, String hex, String message) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThatThrownBy(() -> DagCbor.standard().decode(bytes))
                .as(what)
                .isInstanceOf(DagCborException.class)
                .hasMessageContaining(message);
    }

    @Test
    void acceptsLinksBytesAndAllScalars() throws Exception {
        // {"a": link, "b": h'0102', "c": [true, false, null, -1, 18446744073709551615], "d": "ü"}
        String hex = "a4" + "6161" + LINK + "6162" + "420102" + "6163" + "85f5f4f6201bffffffffffffffff" + "6164" + "62c3bc";
        JsonNode node = DagCbor.standard().decode(HexFormat.of().parseHex(hex.replace(" ", "")));
        assertThat(node.get("a").get("$link").textValue()).isEqualTo("bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a");
        assertThat(node.get("b").get("$bytes").textValue()).isEqualTo("AQI");
        assertThat(node.get("c").toString()).isEqualTo("[true,false,null,-1,18446744073709551615]");
        assertThat(node.get("d").textValue()).isEqualTo("ü");
    }

    @Test
    void enforcesNestingDepth() throws Exception {
        DagCbor dagCbor = new DagCbor(128);
        assertThat(dagCbor.decode(nestedArrays(128))).isNotNull();
        assertThatThrownBy(() -> dagCbor.decode(nestedArrays(129)))
                .isInstanceOf(DagCborException.class)
                .satisfies(e -> assertThat(((DagCborException) e).isTooDeep()).isTrue());
    }

    static byte[] nestedArrays(int depth) {
        byte[] b = new byte[depth + 1];
        java.util.Arrays.fill(b, 0, depth, (byte) 0x81);
        b[depth] = 0x01;
        return b;
    }
}
