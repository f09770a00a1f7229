package dev.firehose.ingest.pipeline;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the pipeline counts, as plain counters keyed by name (and a label where one applies), cheap enough for
 * the hot path. The metrics endpoint exports them; tests and logs read them directly.
 */
public final class IngestMetrics {

    public static final String FRAMES = "frames_received";
    public static final String FRAMES_REPLAYED = "frames_replayed_skipped";
    public static final String MALFORMED_FRAMES = "malformed_frames";
    public static final String RECORD_PROBLEMS = "bad_records";
    public static final String POSTS_SEEN = "posts_seen";
    public static final String POSTS_FILTERED = "posts_filtered";
    public static final String POSTS_PUBLISHED = "posts_published";
    public static final String RELAY_ERRORS = "relay_errors";
    public static final String RELAY_INFO = "relay_info";
    public static final String CURSOR_CONFLICTS = "cursor_conflicts";
    public static final String CURSOR_SAVES = "cursor_saves";
    public static final String NATS_FORCED_RECONNECTS = "nats_forced_reconnects";

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void increment(String name) {
        add(name, null, 1);
    }

    public void increment(String name, String label) {
        add(name, label, 1);
    }

    public void add(String name, String label, long amount) {
        counters.computeIfAbsent(key(name, label), k -> new LongAdder()).add(amount);
    }

    public long count(String name) {
        return count(name, null);
    }

    public long count(String name, String label) {
        LongAdder adder = counters.get(key(name, label));
        return adder == null ? 0 : adder.sum();
    }

    /** Sum over all labels of {@code name}. */
    public long total(String name) {
        long sum = 0;
        for (Map.Entry<String, LongAdder> e : counters.entrySet()) {
            if (e.getKey().equals(name) || e.getKey().startsWith(name + "|")) {
                sum += e.getValue().sum();
            }
        }
        return sum;
    }

    /** Everything counted so far, {@code name} or {@code name|label} to value, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static String key(String name, String label) {
        return label == null ? name : name + "|" + label;
    }
}
