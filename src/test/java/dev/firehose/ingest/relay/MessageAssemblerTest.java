package dev.firehose.ingest.relay;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages keep their websocket type: Jetstream's plain events are text, its compressed ones and the relay's frames
 * binary, and the decode step is told which (FrameBatch.isText).
 */
class MessageAssemblerTest {

    @Test
    void eachMessageKeepsItsTypeWholeOrFragmented() {
        MessageAssembler messages = new MessageAssembler(1024);

        assertThat(messages.add(WebSocketFrame.textFrame("{\"a\":1}", true)))
                .isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(messages.wasText()).isTrue();

        assertThat(messages.add(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {1, 2}), true)))
                .containsExactly(1, 2);
        assertThat(messages.wasText()).isFalse();

        // a text message in three frames: its continuations carry no type of their own
        assertThat(messages.add(WebSocketFrame.textFrame("{\"é\":", false))).isNull();
        assertThat(messages.add(WebSocketFrame.continuationFrame(Buffer.buffer("2"), false))).isNull();
        assertThat(messages.add(WebSocketFrame.continuationFrame(Buffer.buffer("}"), true)))
                .isEqualTo("{\"é\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(messages.wasText()).isTrue();

        assertThat(messages.add(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {3}), false))).isNull();
        assertThat(messages.add(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {4}), true)))
                .containsExactly(3, 4);
        assertThat(messages.wasText()).isFalse();
    }
}
