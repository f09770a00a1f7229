package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import java.io.IOException;
import java.util.Base64;

/**
 * Decodes one DAG-CBOR block (a record, a commit, an MST node) into a Jackson tree in AT-JSON form:
 * links (tag 42) become {@code {"$link": "bafy..."}}, byte strings {@code {"$bytes": "<base64, no padding>"}}.
 * Strict: see {@link DagCborValidator} for the rules; duplicate map keys are rejected here. Thread-safe.
 */
public final class DagCbor {

    private static final DagCbor STANDARD = new DagCbor(DecodeLimits.defaults().maxNestingDepth());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

    private final int maxNestingDepth;
    private final CBORFactory cbor;

    public DagCbor(int maxNestingDepth) {
        if (maxNestingDepth <= 0) {
            throw new IllegalArgumentException("maxNestingDepth must be positive: " + maxNestingDepth);
        }
        this.maxNestingDepth = maxNestingDepth;
        this.cbor = CBORFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .build();
    }

    /** Nesting depth 128, as {@link DecodeLimits#defaults()}. */
    public static DagCbor standard() {
        return STANDARD;
    }

    public JsonNode decode(byte[] block) throws DagCborException {
        return decode(block, 0, block.length);
    }

    /** Decodes exactly the {@code len} bytes at {@code off}, which must hold one DAG-CBOR item. */
    public JsonNode decode(byte[] b, int off, int len) throws DagCborException {
        try (CBORParser p = strictParser(b, off, len)) {
            return value(p);
        } catch (IOException | RuntimeException e) {
            // the validator passed, so this is Jackson's own objection (e.g. a string limit)
            throw new DagCborException("not decodable: " + e.getMessage(), false, e);
        }
    }

    /**
     * Checks the slice (its bounds, then the rules of {@link DagCborValidator}) and returns a parser at its first
     * token: {@link #decode} builds its tree from it, a reader that wants a few fields and no tree (the CAR header)
     * reads them off it. The caller closes it.
     */
    CBORParser strictParser(byte[] b, int off, int len) throws DagCborException, IOException {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new DagCborException("slice " + off + "+" + len + " outside " + b.length + " bytes");
        }
        DagCborValidator.validate(b, off, len, maxNestingDepth);
        CBORParser p = cbor.createParser(b, off, len);
        try {
            p.nextToken();
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** The CID of the current token, a tag-42 link (checked by the validator): 0x00, the multibase prefix, then it. */
    static Cid link(CBORParser p) throws IOException {
        byte[] bytes = p.getBinaryValue();
        return Cid.parse(bytes, 1, bytes.length - 1);
    }

    private JsonNode value(CBORParser p) throws IOException, DagCborException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (object.replace(name, value(p)) != null) {
                        throw new DagCborException("duplicate map key \"" + name + "\"");
                    }
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(p));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                // the node types Jackson's JSON parser would pick, so trees compare equal to parsed AT-JSON
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT: {
                if (p.getCurrentTag() == Cbor.CID_TAG) {
                    return NODES.objectNode().put("$link", link(p).toString());
                }
                return NODES.objectNode().put("$bytes", BASE64.encodeToString(p.getBinaryValue()));
            }
            default:
                throw new DagCborException("unexpected CBOR token " + t);
        }
    }
}
