package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Test-side DAG-CBOR to AT-JSON decoder on Jackson's streaming CBOR parser (tag 42 byte
 * strings become {@code {"$link": ...}}, other byte strings {@code {"$bytes": base64}}), plus
 * small AT-JSON node builders. Lets tests compare binary frames with the fixture JSON.
 */
public final class AtJson {

    private static final CBORFactory CBOR = new CBORFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AtJson() {
    }

    public static ObjectNode link(byte[] cid) {
        return NODES.objectNode().put("$link", Cids.toText(cid));
    }

    public static ObjectNode bytes(byte[] data) {
        return NODES.objectNode().put("$bytes", Base64.getEncoder().withoutPadding().encodeToString(data));
    }

    /** One DAG-CBOR value (trailing bytes are an error). */
    public static JsonNode decode(byte[] cbor) {
        List<JsonNode> values = decodeSequence(cbor);
        if (values.size() != 1) {
            throw new IllegalArgumentException("expected one CBOR value, got " + values.size());
        }
        return values.get(0);
    }

    /** Every top-level value, e.g. a firehose frame gives [header, body]. */
    public static List<JsonNode> decodeSequence(byte[] cbor) {
        try (CBORParser parser = CBOR.createParser(cbor)) {
            List<JsonNode> values = new ArrayList<>(2);
            while (parser.nextToken() != null) {
                values.add(readValue(parser));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readValue(CBORParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, readValue(parser));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                return array;
            }
            case VALUE_EMBEDDED_OBJECT: {
                byte[] data = parser.getBinaryValue();
                if (parser.getCurrentTag() == 42) {
                    if (data.length == 0 || data[0] != 0) {
                        throw new IllegalArgumentException("tag 42 without the 0x00 prefix");
                    }
                    return link(Arrays.copyOfRange(data, 1, data.length));
                }
                return bytes(data);
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IllegalArgumentException("not DAG-CBOR: " + token);
        }
    }
}
