package dev.firehose.ingest.atproto;

import java.util.Arrays;

/**
 * One block of a CAR file: its CID and where its bytes sit in the source array. The source is shared, not copied,
 * so a block is only valid as long as nobody mutates that array.
 */
public final class CarBlock {

    private final Cid cid;
    private final byte[] source;
    private final int offset;
    private final int length;

    CarBlock(Cid cid, byte[] source, int offset, int length) {
        this.cid = cid;
        this.source = source;
        this.offset = offset;
        this.length = length;
    }

    public Cid cid() {
        return cid;
    }

    public byte[] source() {
        return source;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** A copy of the block's bytes. */
    public byte[] bytes() {
        return Arrays.copyOfRange(source, offset, offset + length);
    }

    /** True if the bytes hash to the CID the block was filed under. */
    public boolean verifies() {
        return cid.verifies(source, offset, length);
    }

    @Override
    public String toString() {
        return "CarBlock{" + cid + ", " + length + " bytes}";
    }
}
