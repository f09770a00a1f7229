package dev.firehose.ingest.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an error frame from the relay means for us. The relay closes the connection after sending one, and the
 * consumer reconnects with the cursor; only {@code FutureCursor} needs a decision: our cursor is ahead of
 * everything this relay has (typically after switching relays). Retrying cannot help, and starting live skips
 * whatever lies between, so it is the operator's call ({@code FIREHOSE_RESET_ON_FUTURE_CURSOR}). Nothing here blocks:
 * a reset is requested, and {@link IngestFlowControl} carries it out before the next connect, once every post in
 * flight has its PubAck.
 */
public final class RelayErrorPolicy {

    public static final String FUTURE_CURSOR = "FutureCursor";
    /**
     * The error and info names the relay protocol defines (lexicon com.atproto.sync.subscribeRepos): metric labels
     * take these, and "other" for anything else, so a hostile relay cannot mint label values.
     */
    private static final java.util.Set<String> KNOWN_NAMES = java.util.Set.of(FUTURE_CURSOR, "ConsumerTooSlow",
            "OutdatedCursor");

    private static final Logger LOG = LoggerFactory.getLogger(RelayErrorPolicy.class);

    private final boolean resetOnFutureCursor;
    private volatile boolean stuckOnFutureCursor;
    private volatile boolean resetRequested;

    public RelayErrorPolicy(boolean resetOnFutureCursor) {
        this.resetOnFutureCursor = resetOnFutureCursor;
    }

    /** {@code name} as a metric label: a name the protocol defines, or {@code other}. */
    static String label(String name) {
        return KNOWN_NAMES.contains(name) ? name : "other";
    }

    /** Called on the consumer's thread, in stream order, for every error frame. */
    public void onErrorFrame(String name, String message) {
        if (!FUTURE_CURSOR.equals(name)) {
            LOG.warn("Relay error {}: {}; reconnecting with the cursor", name, message);
            return;
        }
        if (!resetOnFutureCursor) {
            stuckOnFutureCursor = true;
            LOG.error("Relay has no events at our cursor (FutureCursor: {}). Retrying with it; set "
                    + "FIREHOSE_RESET_ON_FUTURE_CURSOR=true to start live from this relay instead", message);
            return;
        }
        resetRequested = true;
        LOG.error("Relay has no events at our cursor (FutureCursor: {}); FIREHOSE_RESET_ON_FUTURE_CURSOR=true: "
                + "reconnecting live, without a cursor, once the posts in flight are acknowledged. Events between are "
                + "not ingested", message);
    }

    /** A frame decoded again, so the relay accepted our cursor. */
    public void onFrameDecoded() {
        if (stuckOnFutureCursor) {
            stuckOnFutureCursor = false;
        }
    }

    /** For readiness: true while the relay keeps refusing our cursor and we may not reset it. */
    public boolean stuckOnFutureCursor() {
        return stuckOnFutureCursor;
    }

    /** A FutureCursor asked for a reset that has not been carried out yet. */
    boolean resetRequested() {
        return resetRequested;
    }

    void resetDone() {
        resetRequested = false;
    }
}
