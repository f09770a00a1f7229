package dev.firehose.ingest.atproto;

import java.util.Arrays;

/**
 * A deliberately naive CAR walker for cross-checking {@link CarReader}: finds a block by its binary CID by scanning
 * sections with its own varint code. Test-only.
 */
final class IndependentCar {

    private IndependentCar() {
    }

    /** The bytes of the block filed under {@code cid}, or null. */
    static byte[] block(byte[] car, byte[] cid) {
        int[] pos = {0};
        int headerLength = (int) varint(car, pos);
        pos[0] += headerLength;
        while (pos[0] < car.length) {
            int sectionLength = (int) varint(car, pos);
            int start = pos[0];
            if (sectionLength >= cid.length && Arrays.equals(car, start, start + cid.length, cid, 0, cid.length)) {
                return Arrays.copyOfRange(car, start + cid.length, start + sectionLength);
            }
            pos[0] = start + sectionLength;
        }
        return null;
    }

    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return v;
            }
            shift += 7;
        }
    }
}
