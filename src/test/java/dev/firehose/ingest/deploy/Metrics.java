package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Metric names on both sides of the dashboard: the names the application exports (read from its sources, with
 * Micrometer's Prometheus naming applied), and the names a PromQL expression queries.
 */
final class Metrics {

    /**
     * Exported by Camel (camel-micrometer's route policy and event notifiers, camel.metrics.enabled) and by
     * Micrometer's JVM binders (camel.metrics.binders=jvm-memory,...), not by this project's code, so not found
     * by {@link #exportedBySources}. Only the names the dashboard uses; ImageLayoutIT checks them against a real
     * /metrics scrape of the packaged service.
     */
    static final Set<String> CAMEL_AND_JVM = Set.of(
            "camel_exchanges_total", "camel_exchanges_inflight", "camel_exchanges_failed_total",
            "jvm_memory_used_bytes", "jvm_memory_max_bytes");

    /** Made by Prometheus for every scrape target, not by the application: the alerts may read it. */
    static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    /** A metric name in a PromQL expression and its label matchers as written ("" when it has none). */
    record Selector(String metric, String matchers) {
    }

    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Gauge|TimeGauge|Counter|FunctionCounter|Timer|FunctionTimer|DistributionSummary)"
                    + "\\.builder\\(\\s*\"([a-zA-Z_:][a-zA-Z0-9_:.]*)\"");
    /** IngestMetrics.EXPORTED: internal name -> {exported counter name, label key}. */
    private static final Pattern EXPORTED_COUNTER = Pattern.compile("new String\\[\\]\\s*\\{\\s*\"([a-z_:][a-z0-9_:]*)\"");

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan");

    private Metrics() {
    }

    /**
     * Every Prometheus sample name the code under {@code srcMain} registers with Micrometer: counters get
     * {@code _total}, timers {@code _seconds_count|_sum|_max|_bucket}, distribution summaries
     * {@code _count|_sum|_max|_bucket}, gauges their name.
     */
    static Set<String> exportedBySources(Path srcMain) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(srcMain)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                Matcher m = BUILDER.matcher(source);
                while (m.find()) {
                    String name = m.group(2).replace('.', '_');
                    switch (m.group(1)) {
                        case "Counter", "FunctionCounter" -> names.add(name + "_total");
                        case "Timer", "FunctionTimer" -> suffixes(names, name + "_seconds");
                        case "DistributionSummary" -> suffixes(names, name);
                        default -> names.add(name);
                    }
                }
                Matcher c = EXPORTED_COUNTER.matcher(source);
                while (c.find()) {
                    names.add(c.group(1) + "_total"); // registered as FunctionCounters in IngestMetrics.export
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void suffixes(Set<String> names, String base) {
        for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
            names.add(base + suffix);
        }
    }

    /** The metric names a PromQL expression reads (label values, matchers, ranges and groupings stripped). */
    static Set<String> queried(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")   // string literals
                .replaceAll("\\{[^}]*}", " ")                                  // label matchers
                .replaceAll("\\[[^]]*]", " ")                                  // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
        while (m.find()) {
            String word = m.group(1);
            boolean function = m.group(2) != null;
            if (!function && !PROMQL_WORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** Every selector of every metric {@link #queried} names, in order: the metric and the text inside its braces. */
    static List<Selector> selectors(String promql) {
        Set<String> metrics = queried(promql);
        List<Selector> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?<![\\w.$\"])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?").matcher(promql);
        while (m.find()) {
            if (metrics.contains(m.group(1)) && !isInsideQuotes(promql, m.start())) {
                out.add(new Selector(m.group(1), m.group(3) == null ? "" : m.group(3)));
            }
        }
        return out;
    }

    private static boolean isInsideQuotes(String text, int index) {
        int quotes = 0;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quotes++;
            }
        }
        return quotes % 2 == 1;
    }

    /** The PromQL of a Grafana dashboard: every panel's (and nested row's) target expr. */
    static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        collect(dashboard.path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<String> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    out.add(target.get("expr").asText());
                }
            }
            collect(panel.path("panels"), out);
        }
    }

    /** Metrics named by the dashboard's template variables ({@code label_values(metric, label)}). */
    static Set<String> templateMetrics(JsonNode dashboard) {
        Set<String> out = new TreeSet<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText("") : query.asText("");
            Matcher m = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*,").matcher(text);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Every metric the dashboard reads, from panels and template variables. */
    static Set<String> dashboardMetrics(Path dashboardJson) {
        try {
            JsonNode dashboard = new ObjectMapper().readTree(dashboardJson.toFile());
            Set<String> names = new TreeSet<>(templateMetrics(dashboard));
            for (String expr : dashboardExpressions(dashboard)) {
                names.addAll(queried(expr));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
