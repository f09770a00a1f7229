package dev.firehose.ingest.atproto;

/** Raw CBOR item heads (RFC 8949 §3): the few byte-level facts Jackson does not expose. */
final class Cbor {

    static final int MAJOR_UNSIGNED = 0;
    static final int MAJOR_NEGATIVE = 1;
    static final int MAJOR_BYTES = 2;
    static final int MAJOR_TEXT = 3;
    static final int MAJOR_ARRAY = 4;
    static final int MAJOR_MAP = 5;
    static final int MAJOR_TAG = 6;
    static final int MAJOR_SIMPLE = 7;
    static final int INDEFINITE = 31;
    static final int CID_TAG = 42;

    private Cbor() {
    }

    static int major(int initialByte) {
        return (initialByte & 0xff) >>> 5;
    }

    static int additionalInfo(int initialByte) {
        return initialByte & 0x1f;
    }

    /** Bytes taken by the head of an item with this additional info, or -1 for reserved / indefinite (31). */
    static int headLength(int additionalInfo) {
        if (additionalInfo < 24) {
            return 1;
        }
        return switch (additionalInfo) {
            case 24 -> 2;
            case 25 -> 3;
            case 26 -> 5;
            case 27 -> 9;
            default -> -1;
        };
    }

    /** The head's argument (length, count, tag or integer), unsigned in a long; the caller checked the head fits. */
    static long argument(byte[] b, int off) {
        int ai = additionalInfo(b[off]);
        if (ai < 24) {
            return ai;
        }
        int n = headLength(ai) - 1;
        long v = 0;
        for (int i = 1; i <= n; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
