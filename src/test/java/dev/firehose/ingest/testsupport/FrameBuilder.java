package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;

/** Binary frame = DAG-CBOR header {@code {op:1, t:"#kind"}} ‖ DAG-CBOR body. */
public final class FrameBuilder {

    private FrameBuilder() {
    }

    public static ObjectNode header(String type) {
        return JsonNodeFactory.instance.objectNode().put("op", 1).put("t", type);
    }

    public static byte[] frame(JsonNode header, JsonNode body) {
        return frame(DagCborWriter.encode(header), body);
    }

    /** With a header encoded once and reused (the synthetic corpus writes many frames). */
    public static byte[] frame(byte[] encodedHeader, JsonNode body) {
        byte[] bodyBytes = DagCborWriter.encode(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream(encodedHeader.length + bodyBytes.length);
        out.writeBytes(encodedHeader);
        out.writeBytes(bodyBytes);
        return out.toByteArray();
    }
}
