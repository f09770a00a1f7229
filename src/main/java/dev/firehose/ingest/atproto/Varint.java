package dev.firehose.ingest.atproto;

/**
 * Unsigned LEB128 varints as multiformats uses them (CID fields, CAR section lengths): at most 9 bytes
 * (63 bits) and minimally encoded.
 */
public final class Varint {

    public static final int MAX_BYTES = 9;

    private Varint() {
    }

    /**
     * Reads the varint starting at {@code off}, not reading at or past {@code end}.
     *
     * @return the value (always {@code >= 0}), or -1 if truncated, longer than 9 bytes or not minimally encoded;
     * the number of bytes it took is {@link #size(long)} of the value
     */
    public static long read(byte[] bytes, int off, int end) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (off + i >= end) {
                return -1;
            }
            int b = bytes[off + i] & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                // a trailing zero group means the same value had a shorter encoding
                return b == 0 && i > 0 ? -1 : value;
            }
        }
        return -1;
    }

    /** Bytes needed to encode {@code value} ({@code >= 0}). */
    public static int size(long value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    public static byte[] encode(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varints are unsigned: " + value);
        }
        byte[] out = new byte[size(value)];
        for (int i = 0; i < out.length - 1; i++) {
            out[i] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out[out.length - 1] = (byte) value;
        return out;
    }
}
