package dev.firehose.ingest.relay;

import java.util.OptionalLong;

/** What the relay consumer asks of the rest of the service before it opens a socket. */
public interface RelayFlowControl {

    /**
     * False until the pipeline can take frames (NATS connected and set up), and while a reset of the cursor waits
     * for the posts in flight: no socket is opened before.
     */
    boolean ready();

    /** The cursor to connect with ({@code ?cursor=}), empty to start live. */
    OptionalLong resumeCursor();
}
