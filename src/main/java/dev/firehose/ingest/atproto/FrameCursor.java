package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import com.fasterxml.jackson.dataformat.cbor.CBORReadContext;

import java.io.IOException;

import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_BODY;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.INVALID_CBOR;

/**
 * One frame being decoded: the Jackson parser over it plus typed reads of the current token that fail with the
 * right {@link MalformedFrameException} and the seq known so far. Text comparisons go through Jackson's char buffer
 * so that skipped ops (likes, follows...) cost no String allocation.
 */
final class FrameCursor {

    final byte[] frame;
    final CBORParser parser;
    final DecodeLimits limits;
    /** The frame's seq once read, for error reports. */
    long seq = -1;

    FrameCursor(byte[] frame, CBORParser parser, DecodeLimits limits) {
        this.frame = frame;
        this.parser = parser;
        this.limits = limits;
    }

    /** A frame {@link FrameScanner} has read, for the steps after the body that need no parser (post extraction). */
    static FrameCursor withoutParser(byte[] frame, DecodeLimits limits, long seq) {
        FrameCursor cursor = new FrameCursor(frame, null, limits);
        cursor.seq = seq;
        return cursor;
    }

    MalformedFrameException fail(MalformedFrameException.Reason reason, String message) {
        return new MalformedFrameException(reason, message, seq);
    }

    /**
     * Advances inside a map: true at the next FIELD_NAME (the caller then steps to its value), false at END_OBJECT.
     * Anything else means the map was cut short.
     */
    boolean nextField() throws IOException, MalformedFrameException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.FIELD_NAME) {
            return true;
        }
        if (t == JsonToken.END_OBJECT) {
            return false;
        }
        throw fail(INVALID_CBOR, "map ended unexpectedly at " + t);
    }

    /** At a START_OBJECT / START_ARRAY: DAG-CBOR has no indefinite-length containers. */
    void requireDefiniteLength() throws MalformedFrameException {
        if (!((CBORReadContext) parser.getParsingContext()).hasExpectedLength()) {
            throw fail(INVALID_CBOR, "indefinite-length container (not allowed in DAG-CBOR)");
        }
    }

    /** Expected element count of the container just entered. */
    int expectedLength() {
        return ((CBORReadContext) parser.getParsingContext()).getExpectedLength();
    }

    /** Reads {@code seq}: a non-negative integer. */
    long readSeq() throws IOException, MalformedFrameException {
        if (!isInteger()) {
            throw fail(BAD_BODY, "seq must be an integer, found " + parser.currentToken());
        }
        long value = parser.getLongValue();
        if (value < 0) {
            throw fail(BAD_BODY, "seq must not be negative: " + value);
        }
        seq = value;
        return value;
    }

    String requireText(String field) throws IOException, MalformedFrameException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw fail(BAD_BODY, field + " must be a string, found " + parser.currentToken());
        }
        return parser.getText();
    }

    /** A string or null; anything else is a bad body. */
    String optionalText(String field) throws IOException, MalformedFrameException {
        return parser.currentToken() == JsonToken.VALUE_NULL ? null : requireText(field);
    }

    boolean isInteger() throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return false;
        }
        JsonParser.NumberType type = parser.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    boolean isLink() {
        return parser.currentToken() == JsonToken.VALUE_EMBEDDED_OBJECT && parser.getCurrentTag() == Cbor.CID_TAG;
    }

    boolean isBytes() {
        return parser.currentToken() == JsonToken.VALUE_EMBEDDED_OBJECT && parser.getCurrentTag() < 0;
    }

    /** Whether the current VALUE_STRING equals {@code s}, without allocating. */
    boolean textEquals(String s) throws IOException {
        return parser.getTextLength() == s.length() && textStartsWith(s);
    }

    /** Whether the current VALUE_STRING starts with {@code prefix}, without allocating. */
    boolean textStartsWith(String prefix) throws IOException {
        int n = prefix.length();
        if (parser.getTextLength() < n) {
            return false;
        }
        char[] chars = parser.getTextCharacters();
        int off = parser.getTextOffset();
        for (int i = 0; i < n; i++) {
            if (chars[off + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The current VALUE_STRING from character {@code from} on. */
    String textFrom(int from) throws IOException {
        return new String(parser.getTextCharacters(), parser.getTextOffset() + from, parser.getTextLength() - from);
    }

    /** Array index in {@link #frame} where the current token's CBOR item (including any tag) starts. */
    int tokenOffset() {
        return (int) parser.currentTokenLocation().getByteOffset();
    }
}
