package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Test-side DAG-CBOR encoder for AT-JSON, independent of the codec: canonical key order (shorter UTF-8 first, then
 * bytewise), shortest heads, {@code {"$link"}} as tag 42 over {@code 0x00 ‖ binary CID}, {@code {"$bytes"}} as a byte
 * string, integral numbers (also {@code 123.0}) as integers, other numbers as float64. Rejects malformed
 * {@code $link}/{@code $bytes} objects with IllegalArgumentException.
 */
final class AtJsonCbor {

    private AtJsonCbor() {
    }

    static byte[] encode(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, node);
        return out.toByteArray();
    }

    /** A binary firehose frame: header then body. */
    static byte[] frame(JsonNode header, JsonNode body) {
        return concat(encode(header), encode(body));
    }

    /** A map with its top-level keys in the given (possibly non-canonical) order; values encoded canonically. */
    static byte[] encodeInKeyOrder(JsonNode map, List<String> keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head(out, 5, keys.size());
        for (String key : keys) {
            text(out, key);
            write(out, map.get(key));
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, JsonNode n) {
        if (n.isObject() && n.has("$link")) {
            JsonNode link = n.get("$link");
            if (n.size() != 1 || !link.isTextual()) {
                throw new IllegalArgumentException("bad $link object: " + n);
            }
            byte[] cid = cidBytes(link.textValue());
            head(out, 6, 42);
            head(out, 2, cid.length + 1);
            out.write(0);
            out.writeBytes(cid);
        } else if (n.isObject() && n.has("$bytes")) {
            JsonNode bytes = n.get("$bytes");
            if (n.size() != 1 || !bytes.isTextual()) {
                throw new IllegalArgumentException("bad $bytes object: " + n);
            }
            byte[] b = Base64.getDecoder().decode(bytes.textValue());
            head(out, 2, b.length);
            out.writeBytes(b);
        } else if (n.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            n.fields().forEachRemaining(fields::add);
            fields.sort((a, b) -> compareKeys(a.getKey(), b.getKey()));
            head(out, 5, fields.size());
            for (Map.Entry<String, JsonNode> f : fields) {
                text(out, f.getKey());
                write(out, f.getValue());
            }
        } else if (n.isArray()) {
            head(out, 4, n.size());
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                write(out, it.next());
            }
        } else if (n.isTextual()) {
            text(out, n.textValue());
        } else if (n.isIntegralNumber() || (n.isNumber() && n.doubleValue() == Math.rint(n.doubleValue())
                && !Double.isInfinite(n.doubleValue()))) {
            BigInteger v = n.isIntegralNumber() ? n.bigIntegerValue() : n.decimalValue().toBigInteger();
            if (v.signum() >= 0) {
                head(out, 0, v.longValueExact());
            } else {
                head(out, 1, v.negate().subtract(BigInteger.ONE).longValueExact());
            }
        } else if (n.isNumber()) {
            out.write(0xfb);
            long bits = Double.doubleToLongBits(n.doubleValue());
            for (int i = 7; i >= 0; i--) {
                out.write((int) (bits >>> (8 * i)));
            }
        } else if (n.isBoolean()) {
            out.write(n.booleanValue() ? 0xf5 : 0xf4);
        } else if (n.isNull()) {
            out.write(0xf6);
        } else {
            throw new IllegalArgumentException("cannot encode " + n.getNodeType());
        }
    }

    private static int compareKeys(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return x.length != y.length ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
    }

    private static void text(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        head(out, 3, b.length);
        out.writeBytes(b);
    }

    static void head(ByteArrayOutputStream out, int major, long arg) {
        int m = major << 5;
        if (arg < 24) {
            out.write(m | (int) arg);
        } else if (arg < 0x100) {
            out.write(m | 24);
            out.write((int) arg);
        } else if (arg < 0x10000) {
            out.write(m | 25);
            out.write((int) (arg >>> 8));
            out.write((int) arg);
        } else if (arg < 0x100000000L) {
            out.write(m | 26);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (arg >>> (8 * i)));
            }
        } else {
            out.write(m | 27);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (arg >>> (8 * i)));
            }
        }
    }

    /** Binary CIDv1 from its base32 text form; its own decoder so tests do not lean on {@link Cid}. */
    static byte[] cidBytes(String cid) {
        if (!cid.startsWith("b") || cid.length() < 8) {
            throw new IllegalArgumentException("not a base32 CID: " + cid);
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : cid.substring(1).toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + cid);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out.write((buffer >>> bits) & 0xff);
            }
        }
        byte[] b = out.toByteArray();
        if (b.length < 4 || b[0] != 1) {
            throw new IllegalArgumentException("not a CIDv1: " + cid);
        }
        return b;
    }
}
