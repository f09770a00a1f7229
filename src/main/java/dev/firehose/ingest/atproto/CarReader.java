package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import java.io.IOException;
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

    /**
     * The header's roots, read off the token stream: the header is checked as strictly as any block, but no tree and
     * no text form of the links is built (every commit with a post has a CAR, and nothing here needs its roots as text).
     */
    private static List<Cid> roots(byte[] b, int off, int len) throws CarFormatException {
        try (CBORParser p = DagCbor.standard().strictParser(b, off, len)) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new CarFormatException("CAR header is not a map", false);
            }
            JsonToken version = null;
            long versionNumber = 0;
            List<Cid> roots = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("version")) {
                    version = value;
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        versionNumber = p.getLongValue();
                    }
                    p.skipChildren(); // a map or array as version: its own keys are not the header's
                } else if (name.equals("roots")) {
                    roots = links(p, value);
                } else {
                    p.skipChildren();
                }
            }
            if (version != JsonToken.VALUE_NUMBER_INT || versionNumber != 1) {
                throw new CarFormatException("not a CARv1 header (version " + (version == null ? "missing"
                        : version == JsonToken.VALUE_NUMBER_INT ? versionNumber : "of type " + version) + ")", false);
            }
            if (roots == null) {
                throw new CarFormatException("CAR header has no roots array", false);
            }
            return roots;
        } catch (DagCborException e) {
            throw new CarFormatException("CAR header is not DAG-CBOR: " + e.getMessage(), false);
        } catch (IOException | RuntimeException e) {
            // the validator passed, so this is Jackson's own objection or a CID the codec does not know
            throw new CarFormatException("CAR header is not readable: " + e.getMessage(), false);
        }
    }

    private static List<Cid> links(CBORParser p, JsonToken array) throws IOException, CarFormatException {
        if (array != JsonToken.START_ARRAY) {
            throw new CarFormatException("CAR header has no roots array", false);
        }
        List<Cid> roots = new ArrayList<>(1);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_EMBEDDED_OBJECT || p.getCurrentTag() != Cbor.CID_TAG) {
                throw new CarFormatException("CAR root is not a link: " + p.currentToken(), false);
            }
            roots.add(DagCbor.link(p));
        }
        return roots;
    }
}
