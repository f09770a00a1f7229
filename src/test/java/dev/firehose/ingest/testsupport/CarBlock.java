package dev.firehose.ingest.testsupport;

/** One CAR section: a binary CID and the block bytes it addresses. */
public record CarBlock(byte[] cid, byte[] data) {

    /** Block whose CID is computed here (dag-cbor, sha2-256). */
    public static CarBlock ofDagCbor(byte[] data) {
        return new CarBlock(Cids.dagCbor(data), data);
    }

    public String cidText() {
        return Cids.toText(cid);
    }
}
