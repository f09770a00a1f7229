package dev.firehose.ingest.atproto;

/** The codec's one decode error: everything malformed in a frame is reported as this, never as another exception. */
public final class MalformedFrameException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The frame is larger than {@link DecodeLimits#maxFrameBytes()}; it was not parsed. */
        TOO_LARGE,
        /** Not well-formed (DAG-)CBOR: truncated, garbage, invalid UTF-8, trailing bytes, indefinite lengths. */
        INVALID_CBOR,
        /** The header is not a map with {@code op} 1 or -1 (and a string {@code t} for op 1). */
        BAD_HEADER,
        /** {@code op} is 1 but {@code t} is not one of the message types this codec knows. */
        UNKNOWN_TYPE,
        /** The body lacks a required field or has one of the wrong type. */
        BAD_BODY,
        /** A commit's {@code blocks} is not a CARv1 file. */
        BAD_CAR,
        /** Nesting deeper than {@link DecodeLimits#maxNestingDepth()}. */
        TOO_DEEP,
        /** Too many ops or blocks, or a block or string too large. */
        LIMIT_EXCEEDED
    }

    private final Reason reason;
    private final long seq;

    public MalformedFrameException(Reason reason, String message, long seq) {
        this(reason, message, seq, null);
    }

    public MalformedFrameException(Reason reason, String message, long seq, Throwable cause) {
        super(reason + ": " + message + (seq >= 0 ? " (seq " + seq + ")" : ""), cause);
        this.reason = reason;
        this.seq = seq;
    }

    public Reason reason() {
        return reason;
    }

    /** The frame's {@code seq} if it was read before the error, else -1. */
    public long seq() {
        return seq;
    }
}
