package dev.firehose.ingest.testsupport;

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
 * Test-side encoder: AT-JSON ({@link JsonNode}) to canonical DAG-CBOR.
 * <ul>
 *   <li>map keys sorted by UTF-8 length, then bytewise (the DAG-CBOR canonical order);</li>
 *   <li>shortest integer and length headers; integer-like numbers ({@code 123.0}) are integers; other floats are
 *       refused (the AT data model has none) unless asked for with {@link #encodeAllowingFloats};</li>
 *   <li>{@code {"$link": "bafy..."}} becomes tag 42 over byte string {@code 0x00 ‖ binary CID};</li>
 *   <li>{@code {"$bytes": base64}} (and a Jackson {@code BinaryNode}) becomes a byte string;</li>
 *   <li>a {@code $link}/{@code $bytes} object with extra fields or a non-string value is refused.</li>
 * </ul>
 * Refusals are IllegalArgumentException.
 * Independent of the production codec on purpose: tests feed its output to the code under test.
 */
public final class DagCborWriter {

    private DagCborWriter() {
    }

    public static byte[] encode(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, node, false);
        return out.toByteArray();
    }

    /**
     * Like {@link #encode}, but a non-integer number becomes a float64 ({@code 0xfb}): valid CBOR that the AT data
     * model forbids, for checking that a decoder rejects it.
     */
    public static byte[] encodeAllowingFloats(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, node, true);
        return out.toByteArray();
    }

    /** Several values back to back, e.g. a firehose frame = header ‖ body. */
    public static byte[] encodeSequence(JsonNode... nodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        for (JsonNode node : nodes) {
            write(out, node, false);
        }
        return out.toByteArray();
    }

    /** A map with its top-level keys in the given (possibly non-canonical) order; the values encoded canonically. */
    public static byte[] encodeInKeyOrder(JsonNode map, List<String> keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        writeHeader(out, 5, keys.size());
        for (String key : keys) {
            writeText(out, key);
            write(out, map.get(key), false);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, JsonNode node, boolean floats) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> out.write(0xf6);
            case BOOLEAN -> out.write(node.booleanValue() ? 0xf5 : 0xf4);
            case STRING -> writeText(out, node.textValue());
            case BINARY -> writeBytes(out, binary(node));
            case NUMBER -> writeNumber(out, node, floats);
            case ARRAY -> {
                writeHeader(out, 4, node.size());
                for (JsonNode item : node) {
                    write(out, item, floats);
                }
            }
            case OBJECT -> writeObject(out, node, floats);
            default -> throw new IllegalArgumentException("not encodable as DAG-CBOR: " + node.getNodeType());
        }
    }

    private static void writeObject(ByteArrayOutputStream out, JsonNode node, boolean floats) {
        if (node.has("$link")) {
            if (node.size() != 1 || !node.get("$link").isTextual()) {
                throw new IllegalArgumentException("bad $link object: " + node);
            }
            byte[] cid = Cids.fromText(node.get("$link").textValue());
            writeHeader(out, 6, 42);
            writeHeader(out, 2, cid.length + 1L);
            out.write(0x00); // multibase identity prefix required by DAG-CBOR links
            out.writeBytes(cid);
            return;
        }
        if (node.has("$bytes")) {
            if (node.size() != 1 || !node.get("$bytes").isTextual()) {
                throw new IllegalArgumentException("bad $bytes object: " + node);
            }
            writeBytes(out, Base64.getDecoder().decode(padBase64(node.get("$bytes").textValue())));
            return;
        }
        List<Map.Entry<byte[], JsonNode>> entries = new ArrayList<>(node.size());
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            entries.add(Map.entry(field.getKey().getBytes(StandardCharsets.UTF_8), field.getValue()));
        }
        entries.sort((a, b) -> compareKeys(a.getKey(), b.getKey()));
        writeHeader(out, 5, entries.size());
        for (Map.Entry<byte[], JsonNode> entry : entries) {
            writeHeader(out, 3, entry.getKey().length);
            out.writeBytes(entry.getKey());
            write(out, entry.getValue(), floats);
        }
    }

    /** DAG-CBOR key order: shorter first, then bytewise. */
    static int compareKeys(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        return Arrays.compareUnsigned(a, b);
    }

    private static void writeNumber(ByteArrayOutputStream out, JsonNode node, boolean floats) {
        double d = node.doubleValue();
        boolean integerLike = node.isIntegralNumber() || (d == Math.rint(d) && !Double.isInfinite(d));
        if (!integerLike) {
            if (!floats) {
                throw new IllegalArgumentException("floats are not part of the AT data model: " + node);
            }
            out.write(0xfb);
            long bits = Double.doubleToLongBits(d);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (bits >>> shift));
            }
            return;
        }
        BigInteger value = node.isIntegralNumber() ? node.bigIntegerValue() : node.decimalValue().toBigInteger();
        if (value.signum() >= 0) {
            writeHeader(out, 0, value.longValueExact());
        } else {
            writeHeader(out, 1, value.negate().subtract(BigInteger.ONE).longValueExact());
        }
    }

    private static void writeText(ByteArrayOutputStream out, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        writeHeader(out, 3, utf8.length);
        out.writeBytes(utf8);
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        writeHeader(out, 2, bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Major type + argument in the shortest form. */
    static void writeHeader(ByteArrayOutputStream out, int major, long value) {
        int mt = major << 5;
        if (value < 0) {
            throw new IllegalArgumentException("CBOR argument out of range: " + value);
        }
        if (value < 24) {
            out.write(mt | (int) value);
        } else if (value < 0x100) {
            out.write(mt | 24);
            out.write((int) value);
        } else if (value < 0x10000) {
            out.write(mt | 25);
            out.write((int) (value >>> 8));
            out.write((int) value);
        } else if (value < 0x100000000L) {
            out.write(mt | 26);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift));
            }
        } else {
            out.write(mt | 27);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift));
            }
        }
    }

    private static String padBase64(String b64) {
        int rem = b64.length() % 4;
        return rem == 0 ? b64 : b64 + "=".repeat(4 - rem);
    }
}
