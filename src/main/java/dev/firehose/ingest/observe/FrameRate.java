package dev.firehose.ingest.observe;

import java.util.function.LongSupplier;

/** Frames per second over the last few seconds, from a counter sampled once a second. */
public final class FrameRate {

    private final LongSupplier counter;
    private final long[] samples;
    private int next;
    private int filled;
    private volatile double perSecond;

    public FrameRate(LongSupplier counter, int windowSeconds) {
        this.counter = counter;
        this.samples = new long[windowSeconds + 1];
    }

    /** Called once a second. */
    public synchronized void sample() {
        samples[next] = counter.getAsLong();
        int oldest = filled < samples.length ? 0 : (next + 1) % samples.length;
        int seconds = filled < samples.length ? filled : samples.length - 1;
        perSecond = seconds == 0 ? 0 : (samples[next] - samples[oldest]) / (double) seconds;
        next = (next + 1) % samples.length;
        filled = Math.min(filled + 1, samples.length);
    }

    public double perSecond() {
        return perSecond;
    }
}
