package dev.firehose.ingest.testsupport;

/**
 * Deterministic TID clock (AT Protocol record keys and revs): 13 base32-sortable chars over
 * {@code 0 | 53-bit microseconds | 10-bit clock id}. Every call advances the clock, so TIDs
 * from one clock are unique and increasing.
 */
public final class Tids {

    private static final String ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";

    private long micros;
    private final int clockId;

    public Tids(long startMicros, int clockId) {
        this.micros = startMicros;
        this.clockId = clockId & 0x3FF;
    }

    public String next() {
        micros += 1;
        return encode(micros, clockId);
    }

    public static String encode(long micros, int clockId) {
        long value = ((micros & 0x1FFFFFFFFFFFFFL) << 10) | (clockId & 0x3FF);
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value & 31));
            value >>>= 5;
        }
        return new String(out);
    }
}
