package dev.firehose.ingest.atproto;

import java.util.List;
import java.util.Map;

/** A parsed CARv1 file: its roots and its blocks by CID, in file order (first occurrence wins). */
public final class CarFile {

    private final List<Cid> roots;
    private final Map<Cid, CarBlock> blocks;

    CarFile(List<Cid> roots, Map<Cid, CarBlock> blocks) {
        this.roots = List.copyOf(roots);
        this.blocks = java.util.Collections.unmodifiableMap(blocks);
    }

    public List<Cid> roots() {
        return roots;
    }

    public Map<Cid, CarBlock> blocks() {
        return blocks;
    }

    /** The block filed under {@code cid}, or null. */
    public CarBlock block(Cid cid) {
        return blocks.get(cid);
    }

    @Override
    public String toString() {
        return "CarFile{roots=" + roots + ", " + blocks.size() + " blocks}";
    }
}
