package dev.firehose.ingest.delivery;

/**
 * At most {@code perWindow} log lines per {@code windowMillis}; past that, lines are suppressed and the next window's
 * first line says how many were. One bad rule or one hostile source must not flood the log (the counters still count
 * every event).
 */
public final class LogThrottle {

    private final int perWindow;
    private final long windowMillis;
    private long windowStart;
    private int inWindow;
    private long suppressed;

    public LogThrottle(int perWindow, long windowMillis) {
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
    }

    /**
     * Whether to log now; -1 when not, else how many lines were suppressed since the last one logged (to append as
     * "(N similar lines suppressed)").
     */
    public synchronized long admit() {
        long now = System.currentTimeMillis();
        if (now - windowStart >= windowMillis) {
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow >= perWindow) {
            suppressed++;
            return -1;
        }
        inWindow++;
        long before = suppressed;
        suppressed = 0;
        return before;
    }

    /** The suffix for a line admitted with {@code suppressedBefore}. */
    public static String suffix(long suppressedBefore) {
        return suppressedBefore > 0 ? " (" + suppressedBefore + " similar lines suppressed before this one)" : "";
    }
}
