package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimal test-side CARv1 reader: the header's roots and every block, bytes copied verbatim.
 * CIDs are taken as written in the file (not recomputed), so they can check {@link Cids}.
 */
public record CarFile(List<byte[]> roots, List<CarBlock> blocks) {

    public static CarFile read(Path path) {
        try {
            return parse(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CarFile parse(byte[] car) {
        ByteBuffer in = ByteBuffer.wrap(car);
        int headerLength = (int) Varints.read(in);
        byte[] header = new byte[headerLength];
        in.get(header);
        JsonNode headerJson = AtJson.decode(header);
        if (headerJson.path("version").asInt() != 1) {
            throw new IllegalArgumentException("not a CARv1: " + headerJson);
        }
        List<byte[]> roots = new ArrayList<>();
        for (JsonNode root : headerJson.path("roots")) {
            roots.add(Cids.fromText(root.path("$link").asText()));
        }
        List<CarBlock> blocks = new ArrayList<>();
        while (in.hasRemaining()) {
            int sectionLength = (int) Varints.read(in);
            int sectionStart = in.position();
            int cidLength = cidLength(in);
            byte[] cid = Arrays.copyOfRange(car, sectionStart, sectionStart + cidLength);
            byte[] data = Arrays.copyOfRange(car, sectionStart + cidLength, sectionStart + sectionLength);
            blocks.add(new CarBlock(cid, data));
            in.position(sectionStart + sectionLength);
        }
        return new CarFile(roots, blocks);
    }

    /** Length of the CID at the buffer's position (CIDv1, or a bare CIDv0 multihash). */
    private static int cidLength(ByteBuffer in) {
        int start = in.position();
        if ((in.get(start) & 0xff) == 0x12 && (in.get(start + 1) & 0xff) == 0x20) {
            return 34; // CIDv0: bare sha2-256 multihash
        }
        Varints.read(in); // version
        Varints.read(in); // codec
        Varints.read(in); // multihash code
        long digestLength = Varints.read(in);
        int length = (int) (in.position() - start + digestLength);
        in.position(start);
        return length;
    }

    public CarBlock block(byte[] cid) {
        for (CarBlock block : blocks) {
            if (Arrays.equals(block.cid(), cid)) {
                return block;
            }
        }
        return null;
    }
}
