package dev.firehose.ingest.jetstream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Jetstream event, as decoded from one websocket message:
 * {@code {did, time_us, kind, commit: {rev, operation, collection, rkey, record, cid}}} for commits, or
 * {@code {did, time_us, kind, identity: {...}}} / {@code {..., account: {...}}}.
 *
 * @param timeUs     {@code time_us}: when Jetstream saw the event, unix microseconds; also the event's cursor
 *                   (reconnect with {@code ?cursor=<timeUs>} to replay from it, inclusive)
 * @param did        the repo the event is about
 * @param kind       commit, identity or account
 * @param operation  commits only (else null): create, update or delete
 * @param collection commits only: the record's collection NSID, e.g. {@code app.bsky.feed.post}
 * @param rkey       commits only: the record key
 * @param rev        commits only: the repo revision (a TID) of the commit
 * @param cid        commits only: the record's CID as text; null for a delete (Jetstream sends none)
 * @param record     commits only: the record in AT-JSON form exactly as Jetstream sent it ({@code $link},
 *                   {@code $bytes}, {@code $type} ...); null for a delete, and for a collection the decoder was
 *                   told to skip records of ({@link JetstreamDecoder.Builder#recordsOf})
 * @param payload    identity and account events only (else null): the {@code identity} or {@code account} object
 *                   as sent (e.g. {@code {did, handle, seq, time}}, {@code {active, status, did, seq, time}})
 */
public record JetstreamEvent(long timeUs, String did, Kind kind, Operation operation, String collection, String rkey,
                             String rev, String cid, JsonNode record, JsonNode payload) {

    public enum Kind {
        COMMIT("commit"), IDENTITY("identity"), ACCOUNT("account");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** The {@code kind} string on the wire. */
        public String wire() {
            return wire;
        }

        static Kind ofWire(String kind) {
            return switch (kind) {
                case "commit" -> COMMIT;
                case "identity" -> IDENTITY;
                case "account" -> ACCOUNT;
                default -> null;
            };
        }
    }

    public enum Operation {
        CREATE("create"), UPDATE("update"), DELETE("delete");

        private final String wire;

        Operation(String wire) {
            this.wire = wire;
        }

        /** The {@code commit.operation} string on the wire. */
        public String wire() {
            return wire;
        }

        static Operation ofWire(String operation) {
            return switch (operation) {
                case "create" -> CREATE;
                case "update" -> UPDATE;
                case "delete" -> DELETE;
                default -> null;
            };
        }
    }

    static JetstreamEvent commit(long timeUs, String did, Operation operation, String collection, String rkey,
                                 String rev, String cid, JsonNode record) {
        return new JetstreamEvent(timeUs, did, Kind.COMMIT, operation, collection, rkey, rev, cid, record, null);
    }

    static JetstreamEvent identityOrAccount(long timeUs, String did, Kind kind, JsonNode payload) {
        return new JetstreamEvent(timeUs, did, kind, null, null, null, null, null, null, payload);
    }

    /** True for a commit that creates a record in {@code collection}, e.g. a new post. */
    public boolean isCreateIn(String collection) {
        return operation == Operation.CREATE && collection.equals(this.collection);
    }

    /** {@link #timeUs} as {@code 2025-04-16T21:31:33.046Z} (millisecond precision), see {@link JetstreamTime}. */
    public String isoTime() {
        return JetstreamTime.isoMillis(timeUs);
    }
}
