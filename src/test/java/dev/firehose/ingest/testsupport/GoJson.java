package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * JSON bytes as Jetstream (Go, {@code encoding/json}) writes them: {@code <}, {@code >}, {@code &}, U+2028 and U+2029
 * escaped as {@code \}{@code u....} (Go's HTML-safe default), and a record's keys sorted (Go marshals the decoded
 * record as a map, whose keys it sorts). Field order of the event itself is the caller's.
 */
final class GoJson {

    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static {
        WRITER.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    }

    private GoJson() {
    }

    static byte[] bytes(JsonNode node) {
        try {
            return WRITER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of {@code node} with every object's keys in sorted order. */
    static JsonNode sortedKeys(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode sorted = NODES.objectNode();
            for (String name : names) {
                sorted.set(name, sortedKeys(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            var array = NODES.arrayNode(node.size());
            node.forEach(item -> array.add(sortedKeys(item)));
            return array;
        }
        return node;
    }

    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        HtmlSafeEscapes() {
            ascii['<'] = ESCAPE_STANDARD;
            ascii['>'] = ESCAPE_STANDARD;
            ascii['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
