package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CARv1 files (a commit's {@code blocks}, a {@code getRepo} export) in place: a varint-prefixed DAG-CBOR
 * header {@code {version: 1, roots: [CID...]}} followed by varint-prefixed sections {@code CID ‖ block bytes}.
 * Blocks are indexed by CID as slices of the source array, not copied, and not hashed (see {@link CarBlock#verifies()}).
 */
public final class CarReader {

    private CarReader() {
    }

    public static CarFile read(byte[] car) throws CarFormatException {
        return read(car, 0, car.length, DecodeLimits.defaults());
    }

    public static CarFile read(byte[] b, int off, int len, DecodeLimits limits) throws CarFormatException {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new CarFormatException("slice " + off + "+" + len + " outside " + b.length + " bytes", false);
        }
        int end = off + len;
        long headerLength = Varint.read(b, off, end);
        if (headerLength <= 0) {
            throw new CarFormatException("no CAR header length varint", false);
        }
        int pos = off + Varint.size(headerLength);
        if (headerLength > end - pos) {
            throw new CarFormatException("CAR header of " + headerLength + " bytes runs past the end", false);
        }
        List<Cid> roots = roots(b, pos, (int) headerLength);
        pos += (int) headerLength;

        Map<Cid, CarBlock> blocks = new LinkedHashMap<>();
        int sections = 0;
        while (pos < end) {
            long sectionLength = Varint.read(b, pos, end);
            if (sectionLength < 0) {
                throw new CarFormatException("bad section length varint at offset " + (pos - off), false);
            }
            pos += Varint.size(sectionLength);
            if (sectionLength > end - pos) {
                throw new CarFormatException("section of " + sectionLength + " bytes runs past the end", false);
            }
            int sectionEnd = pos + (int) sectionLength;
            int cidLength = Cid.length(b, pos, sectionEnd);
            if (cidLength < 0) {
                throw new CarFormatException("section at offset " + (pos - off) + " does not start with a CID", false);
            }
            int dataLength = sectionEnd - pos - cidLength;
            if (++sections > limits.maxBlocks()) {
                throw new CarFormatException("more than " + limits.maxBlocks() + " blocks", true);
            }
            if (dataLength > limits.maxBlockBytes()) {
                throw new CarFormatException("block of " + dataLength + " bytes exceeds " + limits.maxBlockBytes(), true);
            }
            Cid cid = Cid.parse(b, pos, cidLength);
            blocks.putIfAbsent(cid, new CarBlock(cid, b, pos + cidLength, dataLength));
            pos = sectionEnd;
        }
        return new CarFile(roots, blocks);
    }

    private static List<Cid> roots(byte[] b, int off, int len) throws CarFormatException {
        JsonNode header;
        try {
            header = DagCbor.standard().decode(b, off, len);
        } catch (DagCborException e) {
            throw new CarFormatException("CAR header is not DAG-CBOR: " + e.getMessage(), false);
        }
        JsonNode version = header.get("version");
        if (version == null || !version.isIntegralNumber() || version.asLong() != 1) {
            throw new CarFormatException("not a CARv1 header (version " + version + ")", false);
        }
        JsonNode rootsNode = header.get("roots");
        if (rootsNode == null || !rootsNode.isArray()) {
            throw new CarFormatException("CAR header has no roots array", false);
        }
        List<Cid> roots = new ArrayList<>(rootsNode.size());
        for (JsonNode root : rootsNode) {
            JsonNode link = root.get("$link");
            if (link == null || !link.isTextual()) {
                throw new CarFormatException("CAR root is not a link: " + root, false);
            }
            roots.add(Cid.fromString(link.textValue()));
        }
        return roots;
    }
}
