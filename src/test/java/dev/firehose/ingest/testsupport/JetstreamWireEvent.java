package dev.firehose.ingest.testsupport;

/**
 * One generated Jetstream event as Jetstream sends it, with what a server needs to filter it and a test to check it.
 *
 * @param timeUs     {@code time_us}, the event's cursor
 * @param kind       {@code commit}, {@code identity} or {@code account}
 * @param operation  commits: {@code create}, {@code update} or {@code delete}; else null
 * @param collection commits: the collection NSID; else null
 * @param rkey       commits: the record key; else null
 * @param json       the event's JSON, UTF-8: a text websocket message
 * @param zstd       the same JSON as one zstd frame with Jetstream's dictionary: a {@code compress=true} binary message
 */
public record JetstreamWireEvent(long timeUs, String did, String kind, String operation, String collection,
                                 String rkey, byte[] json, byte[] zstd) {

    public boolean isCommit() {
        return "commit".equals(kind);
    }

    /** The websocket message a connection gets: the zstd frame with {@code compress=true}, else the JSON. */
    public byte[] message(boolean compressed) {
        return compressed ? zstd : json;
    }
}
