package dev.firehose.ingest.jetstream;

/**
 * Upper bounds the Jetstream decoder enforces, so one hostile message cannot cost unbounded memory or time.
 *
 * @param maxMessageBytes the JSON of one event: a plain message longer than this, or a compressed one that inflates
 *                        to more, is {@code TOO_LARGE} (a compressed one is never inflated past this)
 * @param maxNestingDepth JSON array/object nesting of the whole event, its record included ({@code TOO_DEEP})
 */
public record JetstreamLimits(int maxMessageBytes, int maxNestingDepth) {

    private static final JetstreamLimits DEFAULTS = new JetstreamLimits(5 * 1024 * 1024, 128);

    public JetstreamLimits {
        if (maxMessageBytes <= 0 || maxNestingDepth <= 0) {
            throw new IllegalArgumentException("Jetstream limits must be positive: " + maxMessageBytes + ", "
                    + maxNestingDepth);
        }
    }

    /**
     * 5 MiB per event, nesting depth 128: the relay codec's frame limits. A Jetstream event carries at most one record
     * (a post is a few KB), so only garbage or abuse reaches them.
     */
    public static JetstreamLimits defaults() {
        return DEFAULTS;
    }
}
