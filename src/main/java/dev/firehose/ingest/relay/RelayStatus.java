package dev.firehose.ingest.relay;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What the relay connection is doing, for readiness, the detailed health report and metrics. */
public final class RelayStatus {

    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile String address = "";
    private volatile Instant connectedSince;
    private volatile long lastFrameAtMillis;
    private volatile boolean paused;

    void connecting(String displayAddress) {
        this.address = displayAddress;
    }

    void connected() {
        connectedSince = Instant.now();
    }

    void disconnected() {
        connectedSince = null;
    }

    void frameReceived(long atMillis) {
        framesReceived.incrementAndGet();
        lastFrameAtMillis = atMillis;
    }

    void reconnectScheduled() {
        reconnects.incrementAndGet();
    }

    void paused(boolean value) {
        paused = value;
    }

    /** The relay URL without query parameters or credentials. */
    public String address() {
        return address;
    }

    public boolean isConnected() {
        return connectedSince != null;
    }

    /** When the current socket opened, or null while disconnected. */
    public Instant connectedSince() {
        return connectedSince;
    }

    /** Wall-clock millis of the last frame received, 0 if none yet. */
    public long lastFrameAtMillis() {
        return lastFrameAtMillis;
    }

    public long framesReceived() {
        return framesReceived.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    /** True while the socket is paused because the pipeline is full. */
    public boolean isPaused() {
        return paused;
    }
}
