package dev.firehose.ingest.relay;

import java.util.OptionalLong;

/** What the relay consumer asks of the pipeline: where to resume, and whether it may take the next frame. */
public interface RelayFlowControl {

    /** The cursor to connect with ({@code ?cursor=}), empty to start live. */
    OptionalLong resumeCursor();

    /**
     * Blocks while the pipeline is full (too many posts waiting for their PubAck). Returns false if it is still
     * full after {@code timeoutMillis}; the caller asks again.
     */
    boolean awaitCapacity(long timeoutMillis) throws InterruptedException;
}
