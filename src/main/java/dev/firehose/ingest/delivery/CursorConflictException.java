package dev.firehose.ingest.delivery;

import java.util.OptionalLong;

/** The cursor key was written (or deleted) by someone else since our last read or write. */
public final class CursorConflictException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient OptionalLong found;
    private final boolean written;

    public CursorConflictException(String key, long ours, OptionalLong found, boolean deleted) {
        super("cursor key '" + key + "' was " + (deleted ? "deleted or purged" : "changed") + " by another writer (it holds "
                + (found.isPresent() ? found.getAsLong() : "nothing") + ", we meant to store " + ours + ")"
                + (deleted ? "; it is written again" : ": is a second instance running with the same SERVICE_NAME?"));
        this.found = found;
        this.written = deleted;
    }

    /** True when our value was written after all (over a deleted key): only the report is left to do. */
    public boolean written() {
        return written;
    }

    public OptionalLong found() {
        return found;
    }
}
