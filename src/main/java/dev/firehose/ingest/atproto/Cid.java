package dev.firehose.ingest.atproto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A content identifier in binary form: CIDv1 ({@code version ‖ codec ‖ multihash}, all varints) or legacy
 * CIDv0 (a bare sha2-256 multihash). Immutable; {@link #toString()} is the canonical text form
 * ({@code b...} base32 for v1, {@code Qm...} base58btc for v0).
 */
public final class Cid {

    public static final int DAG_PB = 0x70;
    public static final int DAG_CBOR = 0x71;
    public static final int RAW = 0x55;
    public static final int SHA2_256 = 0x12;

    /** Longest digest we accept; real ones are 32 bytes, this only bounds garbage. */
    private static final int MAX_DIGEST_BYTES = 64;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Cid::newSha256);

    private final byte[] bytes;
    private final int version;
    private final long codec;
    private final long multihashCode;
    private final int digestOffset;
    private final int hash;
    private String text;

    private Cid(byte[] bytes, int version, long codec, long multihashCode, int digestOffset) {
        this.bytes = bytes;
        this.version = version;
        this.codec = codec;
        this.multihashCode = multihashCode;
        this.digestOffset = digestOffset;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Length of the binary CID starting at {@code off} (not reading at or past {@code end}), or -1 if there is no
     * valid CID there. Allocation-free, for scanning CAR sections and links in place.
     */
    public static int length(byte[] b, int off, int end) {
        if (end - off >= 34 && b[off] == SHA2_256 && b[off + 1] == 32) {
            return 34; // CIDv0: the multihash alone
        }
        int p = off;
        long version = Varint.read(b, p, end);
        if (version != 1) {
            return -1;
        }
        p += Varint.size(version);
        long codec = Varint.read(b, p, end);
        if (codec < 0) {
            return -1;
        }
        p += Varint.size(codec);
        long mh = Varint.read(b, p, end);
        if (mh < 0) {
            return -1;
        }
        p += Varint.size(mh);
        long digestLength = Varint.read(b, p, end);
        if (digestLength < 0 || digestLength > MAX_DIGEST_BYTES) {
            return -1;
        }
        p += Varint.size(digestLength);
        if (digestLength > end - p) {
            return -1;
        }
        return p + (int) digestLength - off;
    }

    /** Parses exactly {@code len} bytes at {@code off} as a binary CID; throws IllegalArgumentException if they are not one. */
    public static Cid parse(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len || length(b, off, off + len) != len) {
            throw new IllegalArgumentException("not a binary CID (" + len + " bytes)");
        }
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        if (len == 34 && copy[0] == SHA2_256 && copy[1] == 32) {
            return new Cid(copy, 0, DAG_PB, SHA2_256, 2);
        }
        int p = 1; // version 1 is one byte
        long codec = Varint.read(copy, p, len);
        p += Varint.size(codec);
        long mh = Varint.read(copy, p, len);
        p += Varint.size(mh);
        long digestLength = Varint.read(copy, p, len);
        p += Varint.size(digestLength);
        return new Cid(copy, 1, codec, mh, p);
    }

    public static Cid fromBytes(byte[] binary) {
        return parse(binary, 0, binary.length);
    }

    /** Parses the text form of a CIDv1, base32 multibase ({@code b...}); legacy CIDv0 text is not accepted. */
    public static Cid fromString(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != 'b') {
            throw new IllegalArgumentException("not a base32 CIDv1 string: " + text);
        }
        return fromBytes(Multibase.fromBase32(text.substring(1)));
    }

    /** The CIDv1 (dag-cbor, sha2-256) of a DAG-CBOR block: how atproto names records and MST nodes. */
    public static Cid sha256Of(byte[] dagCborBlock) {
        return sha256Of(DAG_CBOR, dagCborBlock, 0, dagCborBlock.length);
    }

    /** The CIDv1 with codec {@code codec} and a sha2-256 multihash of the given bytes. */
    public static Cid sha256Of(int codec, byte[] b, int off, int len) {
        byte[] codecBytes = Varint.encode(codec);
        byte[] out = new byte[1 + codecBytes.length + 2 + 32];
        out[0] = 1;
        System.arraycopy(codecBytes, 0, out, 1, codecBytes.length);
        int p = 1 + codecBytes.length;
        out[p++] = SHA2_256;
        out[p++] = 32;
        MessageDigest md = SHA256.get();
        md.update(b, off, len);
        System.arraycopy(md.digest(), 0, out, p, 32);
        return new Cid(out, 1, codec, SHA2_256, p);
    }

    /** True if this is a sha2-256 CID and the bytes hash to its digest. Other hash functions never verify. */
    public boolean verifies(byte[] b, int off, int len) {
        if (multihashCode != SHA2_256 || bytes.length - digestOffset != 32) {
            return false;
        }
        MessageDigest md = SHA256.get();
        md.update(b, off, len);
        return Arrays.equals(md.digest(), 0, 32, bytes, digestOffset, bytes.length);
    }

    public boolean verifies(byte[] block) {
        return verifies(block, 0, block.length);
    }

    /** True if the {@code len} bytes at {@code off} are exactly this CID's binary form. */
    public boolean matches(byte[] b, int off, int len) {
        return len == bytes.length && Arrays.equals(bytes, 0, len, b, off, off + len);
    }

    public int version() {
        return version;
    }

    /** Multicodec of the content: {@link #DAG_CBOR}, {@link #RAW}, {@link #DAG_PB}... */
    public long codec() {
        return codec;
    }

    public long multihashCode() {
        return multihashCode;
    }

    public byte[] digest() {
        return Arrays.copyOfRange(bytes, digestOffset, bytes.length);
    }

    /** The binary form (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    public int byteLength() {
        return bytes.length;
    }

    @Override
    public String toString() {
        String s = text;
        if (s == null) {
            s = version == 0 ? Multibase.base58btc(bytes) : "b" + Multibase.base32(bytes);
            text = s; // racy but benign: every thread computes the same string
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
