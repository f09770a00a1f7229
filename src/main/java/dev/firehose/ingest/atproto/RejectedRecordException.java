package dev.firehose.ingest.atproto;

/**
 * A post record that cannot be published, and why ({@link #reason()}; the message is the detail). Thrown by
 * {@link Posts#fromRecord}; inside a frame the same cases become {@link RecordProblem}s. Control flow for bad input,
 * so it carries no stack trace.
 */
public final class RejectedRecordException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RecordProblem.Reason reason;

    public RejectedRecordException(RecordProblem.Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RecordProblem.Reason reason() {
        return reason;
    }
}
