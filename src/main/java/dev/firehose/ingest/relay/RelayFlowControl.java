package dev.firehose.ingest.relay;

import java.util.OptionalLong;

/** What the relay consumer asks of the pipeline: where to resume, and whether it may take the next frame. */
public interface RelayFlowControl {

    /** False until the pipeline can take frames (NATS connected and set up): no socket is opened before. */
    boolean ready();

    /** The cursor to connect with ({@code ?cursor=}), empty to start live. */
    OptionalLong resumeCursor();

    /**
     * Blocks while the pipeline is full (too many posts waiting for their PubAck). Returns false if it is still
     * full after {@code timeoutMillis}; the caller asks again.
     */
    boolean awaitCapacity(long timeoutMillis) throws InterruptedException;
}
