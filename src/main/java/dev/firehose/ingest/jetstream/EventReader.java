package dev.firehose.ingest.jetstream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.util.function.Predicate;

import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.BAD_EVENT;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.NOT_JSON;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.UNKNOWN_KIND;

/**
 * Reads one event off a streaming JSON parser, in one pass, fields in any order. Only a wanted record (and an identity
 * or account object) becomes a tree; everything else is read as tokens and dropped: an event of another kind, or the
 * record of a skipped collection, costs no allocation beyond its field names and the strings kept. One per message.
 * <p>
 * A field of the wrong type or a duplicate does not stop the read: the first such problem is kept and reported as
 * {@code BAD_EVENT} once the whole message has been read, so that it carries the {@code time_us} wherever that stands,
 * and so that JSON that is not even well-formed is {@code NOT_JSON} first.
 */
final class EventReader {

    // bits of the fields seen, to refuse duplicates (which value would the sender have meant?)
    private static final int DID = 1;
    private static final int TIME_US = 1 << 1;
    private static final int KIND = 1 << 2;
    private static final int COMMIT = 1 << 3;
    private static final int IDENTITY = 1 << 4;
    private static final int ACCOUNT = 1 << 5;
    private static final int REV = 1 << 6;
    private static final int OPERATION = 1 << 7;
    private static final int COLLECTION = 1 << 8;
    private static final int RKEY = 1 << 9;
    private static final int CID = 1 << 10;
    private static final int RECORD = 1 << 11;

    private final JsonParser parser;
    private final ObjectReader trees;
    private final Predicate<String> recordsOf;
    private int seen;
    /** The first problem that makes the message no event; reported after the whole message was read. */
    private String problem;

    private String did;
    /** -1 until a valid {@code time_us} was read: what {@link MalformedEventException#timeUs()} reports. */
    long timeUs = -1;
    private String kind;
    private boolean hasCommit;
    private String rev;
    private String operation;
    private String collection;
    private String rkey;
    private String cid;
    private boolean hasRecord;
    private JsonNode record;
    private JsonNode identity;
    private JsonNode account;

    EventReader(JsonParser parser, ObjectReader trees, Predicate<String> recordsOf) {
        this.parser = parser;
        this.trees = trees;
        this.recordsOf = recordsOf;
    }

    JetstreamEvent read() throws IOException, MalformedEventException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw fail(NOT_JSON, "empty message");
        }
        if (token != JsonToken.START_OBJECT) {
            bad("an event is a JSON object, found " + token);
            parser.skipChildren();
        }
        while (token == JsonToken.START_OBJECT && parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "did" -> did = string(value, DID, "did");
                case "time_us" -> timeUs(value);
                case "kind" -> kind = string(value, KIND, "kind");
                case "commit" -> commit(value);
                case "identity" -> identity = payload(value, IDENTITY, "identity");
                case "account" -> account = payload(value, ACCOUNT, "account");
                default -> parser.skipChildren();
            }
        }
        // the loop ends on END_OBJECT: Jackson itself refuses anything else there
        if (parser.nextToken() != null) {
            throw fail(NOT_JSON, "data after the event");
        }
        if (problem != null) {
            throw fail(BAD_EVENT, problem);
        }
        return event();
    }

    private JetstreamEvent event() throws MalformedEventException {
        if (did == null) {
            throw fail(BAD_EVENT, "no did");
        }
        if (!did.startsWith("did:")) {
            throw fail(BAD_EVENT, "did is not a DID: " + abbreviate(did));
        }
        if (timeUs < 0) {
            throw fail(BAD_EVENT, "no time_us");
        }
        if (kind == null) {
            throw fail(BAD_EVENT, "no kind");
        }
        JetstreamEvent.Kind known = JetstreamEvent.Kind.ofWire(kind);
        if (known == null) {
            throw fail(UNKNOWN_KIND, "kind " + abbreviate(kind));
        }
        return switch (known) {
            case COMMIT -> commitEvent();
            case IDENTITY -> payloadEvent(known, identity);
            case ACCOUNT -> payloadEvent(known, account);
        };
    }

    private JetstreamEvent payloadEvent(JetstreamEvent.Kind known, JsonNode payload) throws MalformedEventException {
        if (payload == null) {
            throw fail(BAD_EVENT, known.wire() + " event without its " + known.wire() + " object");
        }
        return JetstreamEvent.identityOrAccount(timeUs, did, known, payload);
    }

    private JetstreamEvent commitEvent() throws MalformedEventException {
        if (!hasCommit) {
            throw fail(BAD_EVENT, "commit event without a commit object");
        }
        JetstreamEvent.Operation op = operation == null ? null : JetstreamEvent.Operation.ofWire(operation);
        if (op == null) {
            throw fail(BAD_EVENT, operation == null ? "commit without operation" : "unknown operation " + abbreviate(operation));
        }
        requireText(rev, "rev");
        requireText(collection, "collection");
        requireText(rkey, "rkey");
        if (op == JetstreamEvent.Operation.DELETE) {
            return JetstreamEvent.commit(timeUs, did, op, collection, rkey, rev, cid, null);
        }
        if (!hasRecord) {
            throw fail(BAD_EVENT, operation + " without a record");
        }
        requireText(cid, "cid");
        // a record read before its collection was known (fields out of Jetstream's order) is dropped here
        JsonNode kept = recordsOf.test(collection) ? record : null;
        return JetstreamEvent.commit(timeUs, did, op, collection, rkey, rev, cid, kept);
    }

    private void commit(JsonToken value) throws IOException {
        if (!once(COMMIT, "commit") || !isObject(value, "commit")) {
            return;
        }
        if (kind != null && !kind.equals("commit")) {
            parser.skipChildren(); // fast path: not wanted by an identity, account or unknown event
            return;
        }
        hasCommit = true;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken field = parser.nextToken();
            switch (name) {
                case "rev" -> rev = string(field, REV, "commit.rev");
                case "operation" -> operation = string(field, OPERATION, "commit.operation");
                case "collection" -> collection = string(field, COLLECTION, "commit.collection");
                case "rkey" -> rkey = string(field, RKEY, "commit.rkey");
                case "cid" -> cid = string(field, CID, "commit.cid");
                case "record" -> record(field);
                default -> parser.skipChildren();
            }
        }
    }

    private void record(JsonToken value) throws IOException {
        if (!once(RECORD, "commit.record") || !isObject(value, "commit.record")) {
            return;
        }
        hasRecord = true;
        // Jetstream sends operation and collection before the record: skip what will not be kept without a tree
        boolean unwanted = "delete".equals(operation) || (collection != null && !recordsOf.test(collection));
        if (unwanted) {
            parser.skipChildren();
        } else {
            record = trees.readTree(parser);
        }
    }

    private JsonNode payload(JsonToken value, int bit, String name) throws IOException {
        if (!once(bit, name) || !isObject(value, name)) {
            return null;
        }
        if (kind != null && !kind.equals(name)) {
            parser.skipChildren();
            return null;
        }
        return trees.readTree(parser);
    }

    private void timeUs(JsonToken value) throws IOException {
        if (!once(TIME_US, "time_us")) {
            timeUs = -1; // which of the two would the sender have meant?
            return;
        }
        if (value != JsonToken.VALUE_NUMBER_INT) {
            bad("time_us is not an integer: " + value);
            parser.skipChildren();
            return;
        }
        JsonParser.NumberType type = parser.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            bad("time_us out of range: " + abbreviate(parser.getText()));
            return;
        }
        long value64 = parser.getLongValue();
        if (value64 < 0 || value64 > JetstreamTime.MAX_TIME_US) {
            bad("time_us out of range: " + value64);
            return;
        }
        timeUs = value64;
    }

    /** A string field; JSON null counts as absent. */
    private String string(JsonToken value, int bit, String name) throws IOException {
        if (!once(bit, name) || value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            bad(name + " is not a string: " + value);
            parser.skipChildren();
            return null;
        }
        return parser.getText();
    }

    /** True for an object (the parser is on its start); JSON null counts as absent; anything else is a problem. */
    private boolean isObject(JsonToken value, String name) throws IOException {
        if (value == JsonToken.START_OBJECT) {
            return true;
        }
        if (value != JsonToken.VALUE_NULL) {
            bad(name + " is not an object: " + value);
            parser.skipChildren();
        }
        return false;
    }

    /** False (and the value skipped) if the field was seen before. */
    private boolean once(int bit, String name) throws IOException {
        if ((seen & bit) != 0) {
            bad("duplicate field " + name);
            parser.skipChildren();
            return false;
        }
        seen |= bit;
        return true;
    }

    private void bad(String message) {
        if (problem == null) {
            problem = message;
        }
    }

    private void requireText(String value, String name) throws MalformedEventException {
        if (value == null || value.isEmpty()) {
            throw fail(BAD_EVENT, "commit without " + name);
        }
    }

    MalformedEventException fail(MalformedEventException.Reason reason, String message) {
        return new MalformedEventException(reason, message, timeUs);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? "'" + s + "'" : "'" + s.substring(0, 64) + "…'";
    }
}
