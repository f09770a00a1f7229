package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Test-side CARv1 writer: varint-prefixed DAG-CBOR header {@code {roots:[cid...], version:1}},
 * then one varint-prefixed {@code CID ‖ block} section per block, in the given order.
 */
public final class CarWriter {

    private CarWriter() {
    }

    public static byte[] write(List<byte[]> roots, List<CarBlock> blocks) {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        ArrayNode rootLinks = header.putArray("roots");
        for (byte[] root : roots) {
            rootLinks.add(AtJson.link(root));
        }
        header.put("version", 1);
        byte[] headerBytes = DagCborWriter.encode(header);

        int size = headerBytes.length + 10;
        for (CarBlock block : blocks) {
            size += block.cid().length + block.data().length + 10;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        Varints.write(out, headerBytes.length);
        out.writeBytes(headerBytes);
        for (CarBlock block : blocks) {
            Varints.write(out, (long) block.cid().length + block.data().length);
            out.writeBytes(block.cid());
            out.writeBytes(block.data());
        }
        return out.toByteArray();
    }
}
