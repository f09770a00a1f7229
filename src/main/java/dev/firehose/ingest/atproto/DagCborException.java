package dev.firehose.ingest.atproto;

/** Bytes that are not strict DAG-CBOR within the atproto data model. */
public final class DagCborException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean tooDeep;

    public DagCborException(String message) {
        this(message, false, null);
    }

    DagCborException(String message, boolean tooDeep, Throwable cause) {
        super(message, cause);
        this.tooDeep = tooDeep;
    }

    /** True when the only fault is nesting beyond the configured depth. */
    public boolean isTooDeep() {
        return tooDeep;
    }
}
