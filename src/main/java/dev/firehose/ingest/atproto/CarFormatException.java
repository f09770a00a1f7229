package dev.firehose.ingest.atproto;

/** Bytes that are not a CARv1 file, or one beyond the configured {@link DecodeLimits}. */
public final class CarFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean limitExceeded;

    public CarFormatException(String message, boolean limitExceeded) {
        super(message);
        this.limitExceeded = limitExceeded;
    }

    /** True when the CAR is well-formed as far as read but has too many or too large blocks. */
    public boolean isLimitExceeded() {
        return limitExceeded;
    }
}
