package dev.firehose.ingest.jetstream;

/**
 * The Jetstream codec's one decode error: everything wrong with a websocket message is reported as this, never as
 * another exception.
 */
public final class MalformedEventException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The message (or, compressed, its inflated form) is larger than the limit; it was not parsed. */
        TOO_LARGE,
        /** A compressed message is not a zstd frame Jetstream's dictionary decodes: garbage, truncated, bad checksum,
         *  another dictionary. */
        BAD_COMPRESSION,
        /** Not well-formed JSON: empty, truncated, garbage, invalid UTF-8, data after the event object. */
        NOT_JSON,
        /** JSON nested deeper than the limit. */
        TOO_DEEP,
        /** Well-formed JSON but not an event: not an object; {@code did}, {@code time_us} or {@code kind} missing or
         *  mistyped; a duplicate field; a commit without a valid rev/operation/collection/rkey, or a create or update
         *  without a record object and a cid; an identity or account event without its object. */
        BAD_EVENT,
        /** A well-formed event whose {@code kind} is none of {@code commit}, {@code identity}, {@code account}. */
        UNKNOWN_KIND
    }

    private final Reason reason;
    private final long timeUs;

    public MalformedEventException(Reason reason, String message, long timeUs) {
        this(reason, message, timeUs, null);
    }

    public MalformedEventException(Reason reason, String message, long timeUs, Throwable cause) {
        super(reason + ": " + message + (timeUs >= 0 ? " (time_us " + timeUs + ")" : ""), cause);
        this.reason = reason;
        this.timeUs = timeUs;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The event's {@code time_us} (its cursor) if it had been read, valid, before the error, else -1. With it, a
     * consumer can step past an event it cannot use (an {@link Reason#UNKNOWN_KIND} one, say) and still resume after it.
     */
    public long timeUs() {
        return timeUs;
    }
}
