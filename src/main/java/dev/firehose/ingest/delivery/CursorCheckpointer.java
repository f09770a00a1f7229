package dev.firehose.ingest.delivery;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.firehose.ingest.metrics.IngestMetrics;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link DeliveryWatermark} to the {@link CursorStore}: every {@code saveInterval} finished frames, when
 * it moved but was not saved for a second (so a slow or stopped stream still records its progress), and on a clean
 * shutdown. Every write runs on this checkpointer's own thread: the frame path only counts (rule D6), so a slow or
 * absent key-value store never blocks reading. Writes only ever move the stored cursor forward.
 */
public final class CursorCheckpointer extends ServiceSupport implements DeliveryWatermark.FinishListener {

    private static final Logger LOG = LoggerFactory.getLogger(CursorCheckpointer.class);
    private static final long IDLE_SAVE_MILLIS = 1_000;
    private static final long RETRY_AFTER_FAILURE_MILLIS = 1_000;
    /** After a conflict, the next attempt waits this long: a second writer is reported, not fought every frame. */
    private static final long RETRY_AFTER_CONFLICT_MILLIS = 5_000;
    private static final long FINAL_SAVE_TIMEOUT_SECONDS = 10;

    private final DeliveryWatermark watermark;
    private final int saveInterval;
    private final ScheduledExecutorService writer;
    private final LongAdder saves;
    private final LongAdder conflicts;
    private final AtomicLong framesSinceSave = new AtomicLong();
    private final AtomicBoolean saveQueued = new AtomicBoolean();
    private volatile CursorStore store;
    private volatile long lastSaved = DeliveryWatermark.NONE;
    /** Writer thread only. */
    private long lastSaveAt = System.currentTimeMillis();
    private long nextAttemptAt;

    /** @param writer a single-thread executor: every store write runs there */
    public CursorCheckpointer(DeliveryWatermark watermark, int saveInterval, IngestMetrics metrics,
                              ScheduledExecutorService writer) {
        this.watermark = watermark;
        this.saveInterval = saveInterval;
        this.writer = writer;
        this.saves = metrics.counter(IngestMetrics.CURSOR_SAVES);
        this.conflicts = metrics.counter(IngestMetrics.CURSOR_CONFLICTS);
        watermark.setFinishListener(this);
    }

    /** Once the store is reachable: where to save, and what is stored there already. */
    public void attach(CursorStore store, long stored) {
        this.lastSaved = stored;
        this.store = store;
    }

    /** On the consumer's thread for every frame: counts, and hands a save to the writer thread when one is due. */
    @Override
    public void frameFinished() {
        if (framesSinceSave.incrementAndGet() >= saveInterval && saveQueued.compareAndSet(false, true)) {
            writer.execute(() -> {
                saveQueued.set(false);
                save(false);
            });
        }
    }

    /** After {@link DeliveryWatermark#restart()}: the next save may store a lower position (a new relay's). */
    public void restart() {
        writer.execute(() -> {
            lastSaved = DeliveryWatermark.NONE;
            framesSinceSave.set(0);
        });
    }

    /** The position last written, or {@link DeliveryWatermark#NONE}. */
    public long lastSaved() {
        return lastSaved;
    }

    @Override
    protected void doStart() {
        writer.scheduleWithFixedDelay(this::saveIfIdle, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        // The last save, after the routes and the publisher stopped: everything acked by now is recorded.
        try {
            writer.submit(() -> save(true)).get(FINAL_SAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("Final cursor save did not complete: {}", e.toString());
        }
        writer.shutdownNow();
        if (lastSaved == DeliveryWatermark.NONE) {
            LOG.info("No cursor to store on shutdown: no frame delivered yet");
        } else {
            LOG.info("Stored cursor {} on shutdown", lastSaved);
        }
    }

    private void saveIfIdle() {
        if (System.currentTimeMillis() - lastSaveAt >= IDLE_SAVE_MILLIS) {
            save(false);
        }
    }

    /** Writer thread: stores the watermark if it moved. Failures are logged; a later save carries the newer value. */
    private void save(boolean last) {
        CursorStore target = store;
        long now = System.currentTimeMillis();
        if (target == null || (!last && now < nextAttemptAt)) {
            return;
        }
        long current = watermark.watermark();
        if (current <= lastSaved) {
            return;
        }
        try {
            target.save(current);
            lastSaved = current;
            lastSaveAt = now;
            framesSinceSave.set(0);
            saves.increment();
            LOG.debug("Stored cursor {}", current);
        } catch (CursorConflictException e) {
            conflicts.increment();
            LOG.error(e.getMessage());
            if (e.written()) {
                lastSaved = current;
                lastSaveAt = now;
                framesSinceSave.set(0);
                saves.increment();
            } else {
                nextAttemptAt = now + RETRY_AFTER_CONFLICT_MILLIS;
            }
        } catch (Exception e) {
            nextAttemptAt = now + RETRY_AFTER_FAILURE_MILLIS;
            LOG.warn("Could not store cursor {} under key {}: {}", current, target.key(), e.toString());
        }
    }
}
