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
 *   <li>shortest integer and length headers; no floats (the AT data model has none);</li>
 *   <li>{@code {"$link": "bafy..."}} becomes tag 42 over byte string {@code 0x00 ‖ binary CID};</li>
 *   <li>{@code {"$bytes": base64}} (and a Jackson {@code BinaryNode}) becomes a byte string.</li>
 * </ul>
 * Independent of the production codec on purpose: tests feed its output to the code under test.
 */
public final class DagCborWriter {

    private DagCborWriter() {
    }

    public static byte[] encode(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, node);
        return out.toByteArray();
    }

    /** Several values back to back, e.g. a firehose frame = header ‖ body. */
    public static byte[] encodeSequence(JsonNode... nodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        for (JsonNode node : nodes) {
            write(out, node);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, JsonNode node) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> out.write(0xf6);
            case BOOLEAN -> out.write(node.booleanValue() ? 0xf5 : 0xf4);
            case STRING -> writeText(out, node.textValue());
            case BINARY -> writeBytes(out, binary(node));
            case NUMBER -> writeInteger(out, node);
            case ARRAY -> {
                writeHeader(out, 4, node.size());
                for (JsonNode item : node) {
                    write(out, item);
                }
            }
            case OBJECT -> writeObject(out, node);
            default -> throw new IllegalArgumentException("not encodable as DAG-CBOR: " + node.getNodeType());
        }
    }

    private static void writeObject(ByteArrayOutputStream out, JsonNode node) {
        if (node.size() == 1 && node.has("$link") && node.get("$link").isTextual()) {
            byte[] cid = Cids.fromText(node.get("$link").textValue());
            writeHeader(out, 6, 42);
            writeHeader(out, 2, cid.length + 1L);
            out.write(0x00); // multibase identity prefix required by DAG-CBOR links
            out.writeBytes(cid);
            return;
        }
        if (node.size() == 1 && node.has("$bytes") && node.get("$bytes").isTextual()) {
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
            write(out, entry.getValue());
        }
    }

    /** DAG-CBOR key order: shorter first, then bytewise. */
    static int compareKeys(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        return Arrays.compareUnsigned(a, b);
    }

    private static void writeInteger(ByteArrayOutputStream out, JsonNode node) {
        if (!node.isIntegralNumber()) {
            throw new IllegalArgumentException("floats are not part of the AT data model: " + node);
        }
        BigInteger value = node.bigIntegerValue();
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
