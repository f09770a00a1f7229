package dev.firehose.ingest.logging;

/**
 * Stands in, in a log event, for an exception whose message held a secret. Its message is the original's
 * {@code toString()} (class name and message) masked, and it carries the original's stack frames, cause and
 * suppressed exceptions (masked the same way), so a stack trace reads as the original's.
 */
public final class MaskedThrowable extends Throwable {

    private static final long serialVersionUID = 1L;

    MaskedThrowable(String maskedDescription) {
        super(maskedDescription); // leaves the cause unset, for initCause
    }

    /** The frames are copied from the original; capturing the logging thread's own would be wasted. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** As the original's: {@code java.io.IOException: message}, masked. */
    @Override
    public String toString() {
        return getMessage();
    }
}
