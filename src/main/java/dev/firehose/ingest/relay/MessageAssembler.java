package dev.firehose.ingest.relay;

import java.io.ByteArrayOutputStream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * Websocket frames to messages, copying each message's bytes at most once: a relay sends every event as one final
 * frame, which is taken as it is; a fragmented message is gathered up to {@code maxBytes} (beyond that it is cut, so the
 * decoder reports it as too large instead of the connection failing, which would bring the same message again on
 * every reconnect). Control frames are Vert.x's business (PING answered, PONG and CLOSE handled). Each message keeps
 * its type, text or binary ({@link #wasText()}): a text message's bytes are its UTF-8. One per socket, used on its
 * event loop.
 */
final class MessageAssembler {

    private final int maxBytes;
    private ByteArrayOutputStream fragments;
    /** The type of the message being gathered, then of the one last returned. */
    private boolean text;

    MessageAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The message {@code frame} completes, or null (a fragment, or a control frame). */
    byte[] add(WebSocketFrame frame) {
        if (frame.isBinary() || frame.isText()) {
            text = frame.isText();
            if (frame.isFinal()) {
                return bytes(frame.binaryData());
            }
            fragments = new ByteArrayOutputStream();
            append(frame);
            return null;
        }
        if (frame.isContinuation() && fragments != null) {
            append(frame);
            if (frame.isFinal()) {
                byte[] message = fragments.toByteArray();
                fragments = null;
                return message;
            }
        }
        return null;
    }

    /** Whether the message {@link #add} returned last came as text (its first frame's type), else binary. */
    boolean wasText() {
        return text;
    }

    /**
     * The frame's payload as an array. Netty's frame decoder reads each payload into an unpooled heap buffer of
     * exactly its size, which nothing reuses once it is released: that array is taken as it is, saving a copy of
     * every frame. Anything else (a pooled, direct or shared buffer) is copied.
     */
    static byte[] bytes(Buffer data) {
        ByteBuf buf = data.getByteBuf();
        if (buf.hasArray() && buf.alloc() instanceof UnpooledByteBufAllocator && buf.arrayOffset() == 0
                && buf.readerIndex() == 0 && buf.readableBytes() == buf.array().length) {
            return buf.array();
        }
        return data.getBytes();
    }

    private void append(WebSocketFrame frame) {
        int room = maxBytes + 1 - fragments.size();
        if (room > 0) {
            byte[] data = frame.binaryData().getBytes();
            fragments.write(data, 0, Math.min(room, data.length));
        }
    }
}
