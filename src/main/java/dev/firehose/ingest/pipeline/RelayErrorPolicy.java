package dev.firehose.ingest.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an error frame from the relay means for us. The relay closes the connection after sending one, and the
 * consumer reconnects with the cursor; only {@code FutureCursor} needs a decision: our cursor is ahead of
 * everything this relay has (typically after switching relays). Retrying cannot help, and starting live skips
 * whatever lies between, so it is the operator's call ({@code FIREHOSE_RESET_ON_FUTURE_CURSOR}).
 */
public final class RelayErrorPolicy {

    public static final String FUTURE_CURSOR = "FutureCursor";

    private static final Logger LOG = LoggerFactory.getLogger(RelayErrorPolicy.class);
    private static final long DRAIN_TIMEOUT_MILLIS = 60_000;

    private final boolean resetOnFutureCursor;
    private final DeliveryWatermark watermark;
    private final CursorCheckpointer checkpointer;
    private volatile boolean stuckOnFutureCursor;

    public RelayErrorPolicy(boolean resetOnFutureCursor, DeliveryWatermark watermark,
                            CursorCheckpointer checkpointer) {
        this.resetOnFutureCursor = resetOnFutureCursor;
        this.watermark = watermark;
        this.checkpointer = checkpointer;
    }

    /** Called in the frame reader's thread, in stream order, for every error frame. */
    public void onErrorFrame(String name, String message) throws InterruptedException {
        if (!FUTURE_CURSOR.equals(name)) {
            LOG.warn("Relay error {}: {}; reconnecting with cursor {}", name, message, watermark.watermark());
            return;
        }
        long cursor = watermark.watermark();
        if (!resetOnFutureCursor) {
            stuckOnFutureCursor = true;
            LOG.error("Relay has no events at our cursor {} (FutureCursor: {}). Retrying with it; set "
                    + "FIREHOSE_RESET_ON_FUTURE_CURSOR=true to start live from this relay instead", cursor, message);
            return;
        }
        // Let every post already taken reach the stream, then forget the old seq space.
        if (!watermark.awaitDrained(DRAIN_TIMEOUT_MILLIS)) {
            LOG.error("FutureCursor: posts still wait for NATS after {} ms; not resetting the cursor yet",
                    DRAIN_TIMEOUT_MILLIS);
            return;
        }
        watermark.restart();
        checkpointer.restart();
        stuckOnFutureCursor = false;
        LOG.error("Relay has no events at our cursor {} (FutureCursor: {}); FIREHOSE_RESET_ON_FUTURE_CURSOR=true: "
                + "reconnecting live, without a cursor. Events between are not ingested", cursor, message);
    }

    /** A frame was taken again, so the relay accepted our cursor. */
    public void onFrameTaken() {
        stuckOnFutureCursor = false;
    }

    /** For readiness: true while the relay keeps refusing our cursor and we may not reset it. */
    public boolean stuckOnFutureCursor() {
        return stuckOnFutureCursor;
    }
}
