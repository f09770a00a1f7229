package dev.firehose.ingest.jetstream;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.BAD_COMPRESSION;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.TOO_LARGE;

/**
 * Inflates zstd frames made with a dictionary into one reusable buffer, never past a byte limit. Not thread-safe (one
 * zstd context and one buffer); the dictionary it loads is shared.
 * <p>
 * A frame whose header declares a content size (Jetstream's encoder writes one) is rejected unread when that size is
 * over the limit, else inflated in one call into a buffer of at least that size. A frame without one (or a message of
 * several frames) is inflated into the buffer as it is; if that is too small, the buffer grows fourfold, up to the
 * limit, and the message is inflated again: past the limit it is {@code TOO_LARGE}. So no message costs more than
 * {@code maxBytes} of buffer, and the buffer is kept for the next message.
 */
final class BoundedInflater implements AutoCloseable {

    private static final int INITIAL_BYTES = 64 * 1024;
    /** The smallest zstd frame: 4 bytes magic, 2 bytes frame header, 3 bytes block header. */
    private static final int MIN_FRAME_BYTES = 9;
    /** ZSTD_CONTENTSIZE_ERROR: the bytes do not start with a zstd frame header. */
    private static final long NOT_A_FRAME = -2;
    /** ZSTD_CONTENTSIZE_UNKNOWN: a valid header that declares no size. */
    private static final long SIZE_UNKNOWN = -1;
    private static final long DST_TOO_SMALL = Zstd.errDstSizeTooSmall();

    private final ZstdDecompressCtx context;
    private final int maxBytes;
    private byte[] buffer;

    BoundedInflater(JetstreamDictionary dictionary, int maxBytes) {
        this.maxBytes = maxBytes;
        this.buffer = new byte[Math.min(INITIAL_BYTES, maxBytes)];
        this.context = new ZstdDecompressCtx();
        context.loadDict(dictionary.forDecompression());
    }

    /** The bytes of the last {@link #inflate}, from 0 to its return value; overwritten by the next call. */
    byte[] buffer() {
        return buffer;
    }

    /** Inflates {@code frame} into {@link #buffer()}; returns the number of bytes. */
    int inflate(byte[] frame) throws MalformedEventException {
        if (frame.length < MIN_FRAME_BYTES) {
            throw new MalformedEventException(BAD_COMPRESSION, frame.length + " bytes: not a zstd frame", -1);
        }
        try {
            return inflateFrame(frame);
        } catch (ZstdException e) {
            throw new MalformedEventException(BAD_COMPRESSION, String.valueOf(e.getMessage()), -1, e);
        } catch (RuntimeException e) {
            // zstd-jni checks some odd input in Java and throws what it finds: the frame is at fault
            throw new MalformedEventException(BAD_COMPRESSION, e.toString(), -1, e);
        }
    }

    private int inflateFrame(byte[] frame) throws MalformedEventException {
        long declared = Zstd.getFrameContentSize(frame, 0, frame.length);
        if (declared == NOT_A_FRAME || declared < SIZE_UNKNOWN) {
            throw new MalformedEventException(BAD_COMPRESSION, "not a zstd frame", -1);
        }
        if (declared > maxBytes) {
            throw new MalformedEventException(TOO_LARGE,
                    "zstd frame declares " + declared + " bytes, more than " + maxBytes, -1);
        }
        if (declared > buffer.length) {
            buffer = new byte[(int) declared];
        }
        while (true) {
            try {
                return context.decompressByteArray(buffer, 0, buffer.length, frame, 0, frame.length);
            } catch (ZstdException e) {
                if (e.getErrorCode() != DST_TOO_SMALL) {
                    throw e;
                }
                if (buffer.length >= maxBytes) {
                    throw new MalformedEventException(TOO_LARGE, "zstd frame inflates to more than " + maxBytes
                            + " bytes", -1);
                }
                buffer = new byte[(int) Math.min(maxBytes, 4L * buffer.length)];
            }
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
