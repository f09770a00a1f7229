package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.metrics.IngestMetrics;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.firehose.ingest.nats.CursorConflictException;
import dev.firehose.ingest.nats.KvCursorStore;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link DeliveryWatermark} to the KV bucket: every {@code saveInterval} frames, when it moved but
 * was not saved for a second (so a slow or stopped stream still records its progress), and on a clean shutdown.
 * Saves are serialized and only ever move the stored cursor forward.
 */
public final class CursorCheckpointer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CursorCheckpointer.class);
    private static final long IDLE_SAVE_MILLIS = 1_000;
    private static final long RETRY_AFTER_FAILURE_MILLIS = 1_000;

    private final DeliveryWatermark watermark;
    private KvCursorStore store;
    private final int saveInterval;
    private final IngestMetrics metrics;
    private final ScheduledExecutorService timer;

    private long framesSinceSave;
    private long retryAfter;
    private long lastSaveAt = System.currentTimeMillis();

    private long lastSaved = DeliveryWatermark.NONE;

    public CursorCheckpointer(DeliveryWatermark watermark, int saveInterval, IngestMetrics metrics,
                              ScheduledExecutorService timer) {
        this.watermark = watermark;
        this.saveInterval = saveInterval;
        this.metrics = metrics;
        this.timer = timer;
    }

    /** Once NATS is set up: where to save, and what is stored there already. */
    public synchronized void attach(KvCursorStore store, long stored) {
        this.store = store;
        this.lastSaved = stored;
    }

    /** A frame left the in-line pipeline. */
    public synchronized void frameFinished() {
        framesSinceSave++;
        saveIfDue();
    }

    /** A post was acknowledged, which may have released frames counted earlier. */
    public synchronized void postAcked() {
        saveIfDue();
    }

    /** After {@link DeliveryWatermark#restart()}: the next save may store a lower seq (a new relay's). */
    public synchronized void restart() {
        lastSaved = DeliveryWatermark.NONE;
        framesSinceSave = 0;
    }

    public synchronized long lastSaved() {
        return lastSaved;
    }

    private void saveIfDue() {
        // After a failed write (NATS away) the frame path does not retry on every frame: each attempt can block
        // for the request timeout, and the timer retries every second anyway.
        if (framesSinceSave >= saveInterval && System.currentTimeMillis() >= retryAfter) {
            save();
        }
    }

    /** Stores the watermark if it moved. Failures are logged: the next save carries the newer value. */
    public synchronized void save() {
        long current = watermark.watermark();
        if (store == null || current <= lastSaved) {
            return;
        }
        try {
            store.save(current);
            lastSaved = current;
            lastSaveAt = System.currentTimeMillis();
            framesSinceSave = 0;
            metrics.increment(IngestMetrics.CURSOR_SAVES);
            LOG.debug("Stored cursor {}", current);
        } catch (CursorConflictException e) {
            metrics.increment(IngestMetrics.CURSOR_CONFLICTS);
            LOG.error(e.getMessage());
        } catch (Exception e) {
            retryAfter = System.currentTimeMillis() + RETRY_AFTER_FAILURE_MILLIS;
            LOG.warn("Could not store cursor {} under key {}: {}", current, store.key(), e.toString());
        }
    }

    private synchronized void saveIfIdle() {
        if (System.currentTimeMillis() - lastSaveAt >= IDLE_SAVE_MILLIS) {
            save();
        }
    }

    @Override
    protected void doStart() {
        timer.scheduleWithFixedDelay(this::saveIfIdle, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
        save();
        LOG.info("Stored cursor {} on shutdown", lastSaved());
    }
}
