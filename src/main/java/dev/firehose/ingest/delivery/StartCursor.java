package dev.firehose.ingest.delivery;

import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FIREHOSE_START_CURSOR}: where to start instead of the stored cursor — a position, or {@code live} — for a
 * first start or an explicit replay. Applied once per value: the store records the value it applied, so a restart
 * with the same setting (a Kubernetes pod keeps its environment) resumes from the stored cursor instead of rewinding
 * again; a different value is a new replay. Applying it rewrites the stored cursor first (rule D1: the cursor then
 * means "everything up to here is done, by decision"), and only then records the value, so a crash in between
 * applies it again.
 */
public final class StartCursor {

    public static final String LIVE = "live";

    private static final Logger LOG = LoggerFactory.getLogger(StartCursor.class);

    private final String setting;

    /** @param setting a non-negative position, {@code live}, or empty for none */
    public StartCursor(String setting) {
        this.setting = setting == null ? "" : setting.trim();
    }

    /** Where the watermark resumes: the stored cursor, or the start cursor if it is set and not applied yet. */
    public long resumePoint(CursorStore store) throws Exception {
        OptionalLong stored = store.load();
        if (setting.isEmpty()) {
            return stored.orElse(DeliveryWatermark.NONE);
        }
        Optional<String> applied = store.appliedStartCursor();
        if (applied.isPresent() && applied.get().equals(setting)) {
            LOG.info("FIREHOSE_START_CURSOR={} was applied before; resuming from the stored cursor {}", setting,
                    stored.isPresent() ? stored.getAsLong() : "(none: live)");
            return stored.orElse(DeliveryWatermark.NONE);
        }
        long start = LIVE.equals(setting) ? DeliveryWatermark.NONE : Long.parseLong(setting);
        store.reset(start);
        store.recordStartCursor(setting);
        LOG.warn("FIREHOSE_START_CURSOR={}: starting {} instead of the stored cursor {}", setting,
                start == DeliveryWatermark.NONE ? "live" : "after " + start,
                stored.isPresent() ? stored.getAsLong() : "(none)");
        return start;
    }
}
