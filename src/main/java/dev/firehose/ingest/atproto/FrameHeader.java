package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_HEADER;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.INVALID_CBOR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.UNKNOWN_TYPE;

/** The frame header {@code {op, t}}: op 1 (message of type t) or -1 (error). */
record FrameHeader(int op, String type) {

    private static final String[] KNOWN_TYPES = {
            FirehoseEvent.COMMIT, FirehoseEvent.IDENTITY, FirehoseEvent.ACCOUNT, FirehoseEvent.SYNC, FirehoseEvent.INFO};

    static FrameHeader read(FrameCursor c) throws IOException, MalformedFrameException {
        JsonToken t = c.parser.nextToken();
        if (t == null) {
            throw c.fail(INVALID_CBOR, "empty frame");
        }
        if (t != JsonToken.START_OBJECT) {
            throw c.fail(BAD_HEADER, "header must be a map, found " + t);
        }
        c.requireDefiniteLength();
        int op = 0;
        String type = null;
        String unknownType = null;
        while (c.nextField()) {
            String name = c.parser.currentName();
            c.parser.nextToken();
            switch (name) {
                case "op" -> {
                    if (!c.isInteger()) {
                        throw c.fail(BAD_HEADER, "op must be an integer, found " + c.parser.currentToken());
                    }
                    long value = c.parser.getLongValue();
                    if (value != 1 && value != -1) {
                        throw c.fail(BAD_HEADER, "op must be 1 or -1, found " + value);
                    }
                    op = (int) value;
                }
                case "t" -> {
                    if (c.parser.currentToken() != JsonToken.VALUE_STRING) {
                        throw c.fail(BAD_HEADER, "t must be a string, found " + c.parser.currentToken());
                    }
                    type = knownType(c);
                    if (type == null) {
                        unknownType = c.parser.getText();
                    }
                }
                default -> c.parser.skipChildren();
            }
        }
        if (op == 0) {
            throw c.fail(BAD_HEADER, "header has no op");
        }
        if (op == 1 && type == null) {
            if (unknownType == null) {
                throw c.fail(BAD_HEADER, "message header has no t");
            }
            throw c.fail(UNKNOWN_TYPE, "unknown message type \"" + printable(unknownType) + "\"");
        }
        return new FrameHeader(op, op == 1 ? type : null);
    }

    private static String knownType(FrameCursor c) throws IOException {
        for (String known : KNOWN_TYPES) {
            if (c.textEquals(known)) {
                return known;
            }
        }
        return null;
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
