package dev.firehose.ingest.jetstream;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JetstreamDictionaryTest {

    @Test
    void bundledIsJetstreamsV1DictionaryAsRecordedInSources() throws Exception {
        byte[] bytes = JetstreamDictionary.bundledBytes();
        assertThat(bytes).hasSize(112_640);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                .isEqualTo("b8d77b46933aceecbdd5275a01241efc985c970c78162b8150cf67a26522f70c");
        assertThat(JetstreamDictionary.bundled().id()).isEqualTo(1_612_007_021L).isEqualTo(JetstreamDictionary.BUNDLED_ID);
        assertThat(JetstreamDictionary.bundled()).isSameAs(JetstreamDictionary.bundled());
    }

    @Test
    void anotherDictionaryIsReadWithItsId() {
        byte[] bytes = JetstreamDictionary.bundledBytes();
        bytes[4] = 7;
        bytes[5] = 0;
        bytes[6] = 0;
        bytes[7] = 0;
        assertThat(JetstreamDictionary.of(bytes).id()).isEqualTo(7);
    }

    @Test
    void bytesThatAreNoDictionaryAreRefused() {
        assertThatThrownBy(() -> JetstreamDictionary.of(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JetstreamDictionary.of("{\"did\":\"x\"}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
