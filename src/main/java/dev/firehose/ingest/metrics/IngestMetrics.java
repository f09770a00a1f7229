package dev.firehose.ingest.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the pipeline counts, as plain counters keyed by name and an optional label, cheap enough for the hot
 * path. Once {@link #bindTo bound} to the Micrometer registry that Camel scrapes, every counter is exported
 * as {@code <exported name>_total{<label key>=<label>}} (see {@link #EXPORTED}); tests and logs read them here.
 */
public final class IngestMetrics {

    public static final String FRAMES = "frames_received";
    public static final String FRAMES_REPLAYED = "frames_replayed_skipped";
    public static final String MALFORMED_FRAMES = "malformed_frames";
    public static final String RECORD_PROBLEMS = "bad_records";
    public static final String POSTS_SEEN = "posts_seen";
    public static final String POSTS_FILTERED = "posts_filtered";
    public static final String POSTS_PUBLISHED = "posts_published";
    public static final String POSTS_BY_LANGUAGE = "posts_published_by_language";
    public static final String PUBLISH_ERRORS = "publish_errors";
    public static final String PUBLISH_DUPLICATES = "publish_duplicates";
    public static final String RELAY_ERRORS = "relay_errors";
    public static final String RELAY_INFO = "relay_info";
    public static final String CURSOR_SAVES = "cursor_saves";
    public static final String CURSOR_CONFLICTS = "cursor_conflicts";
    public static final String NATS_FORCED_RECONNECTS = "nats_forced_reconnects";
    public static final String POSTS_FAILED = "posts_failed";
    public static final String FRAMES_FAILED = "frames_failed";
    public static final String POST_FIELDS_DROPPED = "post_fields_dropped";
    public static final String DELETES_PUBLISHED = "deletes_published";
    public static final String DELETES_FAILED = "deletes_failed";

    /** Internal name -> exported Prometheus name (without _total) and the tag key of its label. */
    static final Map<String, String[]> EXPORTED = Map.ofEntries(
            Map.entry(FRAMES, new String[] {"firehose_frames", "type"}),
            Map.entry(FRAMES_REPLAYED, new String[] {"firehose_frames_replayed_skipped", null}),
            Map.entry(MALFORMED_FRAMES, new String[] {"firehose_malformed_frames", "reason"}),
            Map.entry(RECORD_PROBLEMS, new String[] {"firehose_bad_records", "reason"}),
            Map.entry(POSTS_SEEN, new String[] {"firehose_posts_seen", null}),
            Map.entry(POSTS_FILTERED, new String[] {"firehose_posts_filtered", "rule"}),
            // The two below keep the names of the service this one replaces.
            Map.entry(POSTS_PUBLISHED, new String[] {"nats_firehose_posts_published", null}),
            Map.entry(PUBLISH_ERRORS, new String[] {"nats_firehose_publish_errors", null}),
            Map.entry(PUBLISH_DUPLICATES, new String[] {"firehose_publish_duplicates", null}),
            Map.entry(POSTS_BY_LANGUAGE, new String[] {"firehose_posts_published_by_language", "lang"}),
            Map.entry(RELAY_ERRORS, new String[] {"firehose_relay_errors", "error"}),
            Map.entry(RELAY_INFO, new String[] {"firehose_relay_info", "name"}),
            Map.entry(CURSOR_SAVES, new String[] {"firehose_cursor_saves", null}),
            Map.entry(CURSOR_CONFLICTS, new String[] {"firehose_cursor_conflicts", null}),
            Map.entry(NATS_FORCED_RECONNECTS, new String[] {"firehose_nats_forced_reconnects", null}),
            Map.entry(POSTS_FAILED, new String[] {"firehose_posts_failed", "stage"}),
            Map.entry(FRAMES_FAILED, new String[] {"firehose_frames_failed", null}),
            Map.entry(POST_FIELDS_DROPPED, new String[] {"firehose_post_fields_dropped", "field"}),
            Map.entry(DELETES_PUBLISHED, new String[] {"firehose_deletes_published", null}),
            Map.entry(DELETES_FAILED, new String[] {"firehose_deletes_failed", null}));

    private static final String NO_LABEL = "";

    // name -> label -> count; two levels so the hot path builds no key strings.
    private final Map<String, Map<String, LongAdder>> counters = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private final LongAdder postsPublished = counter(POSTS_PUBLISHED);
    private final LongAdder publishDuplicates = counter(PUBLISH_DUPLICATES);
    private final Map<String, LongAdder> publishedByLanguage = new ConcurrentHashMap<>();
    private volatile DistributionSummary batchSizes;
    private volatile Timer publishLatency;

    public void increment(String name) {
        add(name, null, 1);
    }

    public void increment(String name, String label) {
        add(name, label, 1);
    }

    public void add(String name, String label, long amount) {
        counter(name, label).add(amount);
    }

    /**
     * The counter for {@code name} and {@code label} (null: none), created at 0 if new. The hot path keeps the
     * returned adder in a field, so a frame costs no map look-up and no key string.
     */
    public LongAdder counter(String name, String label) {
        Map<String, LongAdder> byLabel = counters.get(name);
        if (byLabel == null) {
            byLabel = counters.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
        }
        String l = label == null ? NO_LABEL : label;
        LongAdder adder = byLabel.get(l);
        if (adder == null) {
            adder = byLabel.computeIfAbsent(l, k -> export(name, label, new LongAdder()));
        }
        return adder;
    }

    public LongAdder counter(String name) {
        return counter(name, null);
    }

    /** A post has its PubAck ({@code duplicate}: the stream had it already), {@code nanos} after it was sent. */
    public void postPublished(String subjectLanguage, boolean duplicate, long nanos) {
        postsPublished.increment();
        LongAdder byLanguage = publishedByLanguage.get(subjectLanguage);
        if (byLanguage == null) {
            byLanguage = publishedByLanguage.computeIfAbsent(subjectLanguage,
                    lang -> counter(POSTS_BY_LANGUAGE, lang));
        }
        byLanguage.increment();
        if (duplicate) {
            publishDuplicates.increment();
        }
        recordPublishNanos(nanos);
    }

    /** Posts per published batch. */
    public void recordBatchSize(int posts) {
        DistributionSummary summary = batchSizes;
        if (summary != null) {
            summary.record(posts);
        }
    }

    /** Time from a post entering the publish step to its PubAck. */
    public void recordPublishNanos(long nanos) {
        Timer timer = publishLatency;
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public long count(String name) {
        return count(name, null);
    }

    public long count(String name, String label) {
        Map<String, LongAdder> byLabel = counters.get(name);
        LongAdder adder = byLabel == null ? null : byLabel.get(label == null ? NO_LABEL : label);
        return adder == null ? 0 : adder.sum();
    }

    /** Sum over all labels of {@code name}. */
    public long total(String name) {
        Map<String, LongAdder> byLabel = counters.get(name);
        long sum = 0;
        if (byLabel != null) {
            for (LongAdder adder : byLabel.values()) {
                sum += adder.sum();
            }
        }
        return sum;
    }

    /** Everything counted so far, {@code name} or {@code name|label} to value, sorted; counters still at 0 left out. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((name, byLabel) -> byLabel.forEach((label, adder) -> {
            long value = adder.sum();
            if (value != 0) {
                out.put(label.isEmpty() ? name : name + "|" + label, value);
            }
        }));
        return out;
    }

    /** Exports every counter, present and future, to {@code meters}; also the batch-size and latency histograms. */
    public synchronized void bindTo(MeterRegistry meters) {
        // Unlabelled counters exist from the start, at 0, so dashboards and alerts see them before they move.
        EXPORTED.forEach((name, exported) -> {
            if (exported[1] == null) {
                add(name, null, 0);
            }
        });
        registry = meters;
        counters.forEach((name, byLabel) -> byLabel.forEach(
                (label, adder) -> export(name, label.isEmpty() ? null : label, adder)));
        // The original service's "operations processed": every frame taken from the relay.
        FunctionCounter.builder("nats_firehose_operations", this, m -> m.total(FRAMES))
                .description("Frames processed (all types)").register(meters);
        batchSizes = DistributionSummary.builder("firehose_batch_size").description("Posts per published batch")
                .publishPercentileHistogram().serviceLevelObjectives(1, 10, 50, 100, 500, 1000).register(meters);
        publishLatency = Timer.builder("firehose_publish").description("Post publish to PubAck")
                .publishPercentileHistogram().register(meters);
    }

    private LongAdder export(String name, String label, LongAdder adder) {
        MeterRegistry meters = registry;
        String[] exported = EXPORTED.get(name);
        if (meters != null && exported != null) {
            FunctionCounter.Builder<LongAdder> builder = FunctionCounter.builder(exported[0], adder, LongAdder::sum);
            if (exported[1] != null) {
                builder.tag(exported[1], label == null ? "" : label);
            }
            builder.register(meters);
        }
        return adder;
    }
}
