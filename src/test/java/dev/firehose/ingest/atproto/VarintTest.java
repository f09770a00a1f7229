package dev.firehose.ingest.atproto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VarintTest {

    @Test
    void readsKnownEncodings() {
        assertThat(Varint.read(bytes(0x00), 0, 1)).isZero();
        assertThat(Varint.read(bytes(0x7f), 0, 1)).isEqualTo(127);
        assertThat(Varint.read(bytes(0x80, 0x01), 0, 2)).isEqualTo(128);
        assertThat(Varint.read(bytes(0xac, 0x02), 0, 2)).isEqualTo(300);
        assertThat(Varint.read(bytes(0xff, 0xff, 0x03), 0, 3)).isEqualTo(65535);
    }

    @Test
    void roundTripsAndSizes() {
        for (long v : new long[] {0, 1, 127, 128, 16383, 16384, 1L << 35, Long.MAX_VALUE}) {
            byte[] e = Varint.encode(v);
            assertThat(e).hasSize(Varint.size(v));
            assertThat(Varint.read(e, 0, e.length)).isEqualTo(v);
        }
        assertThat(Varint.size(Long.MAX_VALUE)).isEqualTo(9);
        assertThatThrownBy(() -> Varint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsTruncatedOverlongAndNonMinimal() {
        assertThat(Varint.read(bytes(0x80), 0, 1)).isEqualTo(-1);
        assertThat(Varint.read(bytes(0x80, 0x01), 0, 1)).isEqualTo(-1);   // end respected
        assertThat(Varint.read(bytes(0x80, 0x00), 0, 2)).isEqualTo(-1);   // 0 with a redundant group
        assertThat(Varint.read(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 0, 10)).isEqualTo(-1);
        assertThat(Varint.read(new byte[0], 0, 0)).isEqualTo(-1);
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
