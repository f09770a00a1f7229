package dev.firehose.ingest.testsupport;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Test-side CID helpers: CIDv1 dag-cbor (0x71) or raw (0x55) over sha2-256, and the
 * multibase base32 text form ({@code b} + RFC 4648 lower case, no padding) used in AT-JSON {@code $link}.
 */
public final class Cids {

    public static final int CODEC_DAG_CBOR = 0x71;
    public static final int CODEC_RAW = 0x55;
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private Cids() {
    }

    /** Binary CIDv1 (dag-cbor, sha2-256) of a block: {@code 0x01 0x71 0x12 0x20 ‖ sha256(block)}. */
    public static byte[] dagCbor(byte[] block) {
        return cidV1(CODEC_DAG_CBOR, block);
    }

    public static byte[] cidV1(int codec, byte[] block) {
        byte[] digest = sha256(block);
        ByteArrayOutputStream out = new ByteArrayOutputStream(36);
        out.write(0x01);
        Varints.write(out, codec);
        out.write(0x12);
        out.write(0x20);
        out.writeBytes(digest);
        return out.toByteArray();
    }

    /** Text form of a binary CID: {@code b} + base32 lower, no padding. */
    public static String toText(byte[] cid) {
        return "b" + base32(cid);
    }

    /** Binary form of a base32 ({@code b...}) CIDv1 text; IllegalArgumentException for anything else. */
    public static byte[] fromText(String text) {
        if (!text.startsWith("b") || text.length() < 8) {
            throw new IllegalArgumentException("only base32 CIDv1 text is supported: " + text);
        }
        byte[] cid = unbase32(text.substring(1));
        if (cid.length < 4 || cid[0] != 1) {
            throw new IllegalArgumentException("not a CIDv1: " + text);
        }
        return cid;
    }

    public static String textOfDagCbor(byte[] block) {
        return toText(dagCbor(block));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    static byte[] unbase32(String text) {
        byte[] out = new byte[text.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = BASE32.indexOf(text.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + text);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
