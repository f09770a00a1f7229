package dev.firehose.ingest.nats;

import java.util.OptionalLong;

/** The cursor key was written by someone else since our last read or write. */
public final class CursorConflictException extends RuntimeException {

    private final OptionalLong found;

    public CursorConflictException(String key, long ours, OptionalLong found) {
        super("cursor key '" + key + "' was changed by another writer (it holds "
                + (found.isPresent() ? found.getAsLong() : "nothing") + ", we meant to store " + ours
                + "): is a second instance running with the same SERVICE_NAME?");
        this.found = found;
    }

    public OptionalLong found() {
        return found;
    }
}
