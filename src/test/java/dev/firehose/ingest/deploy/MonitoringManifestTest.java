package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/overlays/monitoring/: the base unchanged, plus the ServiceMonitor, the alerts (PrometheusRule) and the
 * Grafana dashboard, checked against the metric names the application exports (read from its sources).
 */
class MonitoringManifestTest {

    static final String DASHBOARD_CONFIGMAP = "nats-firehose-ingest-dashboard";

    /** Each alert the service's reports call for, and the metric its expression must read. */
    static final Map<String, String> ALERTS = Map.ofEntries(
            Map.entry("FirehoseIngestDown", "up"),
            Map.entry("FirehoseCursorLagHigh", "firehose_cursor_lag_seconds"),
            Map.entry("FirehoseCursorLagCritical", "firehose_cursor_lag_seconds"),
            Map.entry("FirehoseRelayDisconnected", "firehose_relay_connected"),
            Map.entry("FirehoseRelayPaused", "firehose_relay_paused"),
            Map.entry("FirehoseNatsDisconnected", "nats_connected"),
            Map.entry("FirehoseOutdatedCursor", "firehose_relay_info_total"),
            Map.entry("FirehoseCursorConflict", "firehose_cursor_conflicts_total"),
            Map.entry("FirehosePublishErrors", "nats_firehose_publish_errors_total"),
            Map.entry("FirehosePostsFailed", "firehose_posts_failed_total"),
            Map.entry("FirehoseMalformedFrameRate", "firehose_malformed_frames_total"),
            Map.entry("FirehoseNoPostsPublished", "nats_firehose_posts_published_total"),
            Map.entry("FirehoseCursorNotStored", "firehose_cursor_stored"));

    static Kustomization.Build base;
    static Kustomization.Build monitoring;
    static Set<String> exported;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        base = Kustomization.read(Manifests.BASE).build();
        monitoring = Kustomization.read(Manifests.MONITORING).build();
        exported = new TreeSet<>(Metrics.exportedBySources(Manifests.PROJECT.resolve("src/main/java")));
        assertThat(exported).as("names found in src/main/java")
                .contains("nats_firehose_posts_published_total", "firehose_frames_total", "firehose_cursor_stored");
        exported.addAll(Metrics.CAMEL_AND_JVM);
    }

    @Test
    void theOverlayIsTheBaseUnchangedPlusServiceMonitorRuleAndDashboard() {
        List<String> added = new ArrayList<>(monitoring.ids());
        for (String id : base.ids()) {
            assertThat(added.remove(id)).as("the overlay keeps " + id).isTrue();
        }
        assertThat(added).containsExactlyInAnyOrder("ServiceMonitor/nats-firehose-ingest",
                "PrometheusRule/nats-firehose-ingest", "ConfigMap/" + DASHBOARD_CONFIGMAP);
        assertThat(monitoring.objects).containsAll(base.objects);
        assertThat(monitoring.ofKind("ServiceMonitor").get(0).getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitoring.ofKind("PrometheusRule").get(0).getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    }

    @Test
    void serviceMonitorScrapesTheServicesMetricsPath() {
        Service service = monitoring.one(Service.class);
        Map<String, Object> spec = spec(monitoring.ofKind("ServiceMonitor").get(0));
        @SuppressWarnings("unchecked")
        Map<String, String> matchLabels = (Map<String, String>) ((Map<String, Object>) spec.get("selector"))
                .get("matchLabels");
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(matchLabels);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0)).containsEntry("port", service.getSpec().getPorts().get(0).getName())
                .containsEntry("path", Manifests.applicationProperties().getProperty("camel.metrics.path"));
        // the alerts select job="<Service name>": the job label a ServiceMonitor without jobLabel gives
        assertThat(spec).doesNotContainKey("jobLabel");
    }

    @Test
    void alertsCoverWhatTheServiceReportsAndSayWhatToDo() {
        Map<String, Map<String, Object>> rules = alertRules();
        assertThat(rules.keySet()).containsExactlyInAnyOrderElementsOf(ALERTS.keySet());
        rules.forEach((alert, rule) -> {
            String expr = (String) rule.get("expr");
            assertThat(Metrics.queried(expr)).as(alert + " reads").contains(ALERTS.get(alert));
            assertThat(rule).as(alert).containsKey("for");
            assertThat(Duration.parse("PT" + ((String) rule.get("for")).toUpperCase())).as(alert + " for")
                    .isLessThanOrEqualTo(Duration.ofMinutes(15));
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) rule.get("labels");
            assertThat(labels.get("severity")).as(alert + " severity").isIn("critical", "warning");
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
            assertThat(annotations.get("summary")).as(alert + " summary").isNotBlank();
            assertThat(annotations.get("description")).as(alert + " description: what to do").hasSizeGreaterThan(80);
        });
        // OutdatedCursor is a gap, not any #info message
        assertThat((String) rules.get("FirehoseOutdatedCursor").get("expr")).contains("name=\"OutdatedCursor\"");
    }

    @Test
    void alertsReadOnlyExportedMetricsOfThisJob() {
        String job = "job=\"" + monitoring.one(Service.class).getMetadata().getName() + "\"";
        Set<String> allowed = new TreeSet<>(exported);
        allowed.addAll(Metrics.MADE_BY_PROMETHEUS);
        alertRules().forEach((alert, rule) -> {
            String expr = (String) rule.get("expr");
            assertThat(Metrics.queried(expr)).as(alert + ": metrics the application exports").isSubsetOf(allowed);
            for (Metrics.Selector selector : Metrics.selectors(expr)) {
                assertThat(selector.matchers()).as(alert + ": " + selector.metric() + " selects " + job)
                        .contains(job);
            }
        });
    }

    /**
     * promtool (Prometheus's own checker, Debian package prometheus) validates the rules and runs their unit tests
     * (src/test/resources/deploy/prometheusrule-test.yaml): the alerts fire on the events they are about, including
     * a labelled counter's first appearance. From the PATH or {@code PROMTOOL}; skipped when there is none.
     */
    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
        Path promtool = executable("PROMTOOL", "promtool");
        Assumptions.assumeTrue(promtool != null, "promtool not on PATH (nor PROMTOOL set)");
        YAMLMapper yaml = new YAMLMapper();
        // a copy: the build is shared by the other tests
        Map<String, Object> spec = yaml.readValue(yaml.writeValueAsString(spec(monitoring.ofKind("PrometheusRule")
                .get(0))), new TypeReference<Map<String, Object>>() { });
        for (Map<String, Object> group : groups(spec)) {
            rules(group).forEach(rule -> rule.remove("annotations")); // unit tests compare labels only
        }
        Path rules = tmp.resolve("rules.yaml");
        yaml.writeValue(rules.toFile(), spec);
        Path tests = Files.copy(Manifests.PROJECT.resolve("src/test/resources/deploy/prometheusrule-test.yaml"),
                tmp.resolve("rules-test.yaml"));
        run(tmp, promtool.toString(), "check", "rules", rules.toString());
        run(tmp, promtool.toString(), "test", "rules", tests.toString());
    }

    @Test
    void dashboardQueriesOnlyMetricsTheApplicationExports() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Manifests.DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        List<String> exprs = Metrics.dashboardExpressions(dashboard);
        assertThat(exprs).as("panel queries").hasSizeGreaterThan(20).allMatch(e -> !e.isBlank());
        Set<String> queried = Metrics.dashboardMetrics(Manifests.DASHBOARD);
        assertThat(queried).as("every queried metric is exported by the application").isSubsetOf(exported);
        // the JVM and Camel names exist only with these settings
        Properties props = Manifests.applicationProperties();
        assertThat(props.getProperty("camel.metrics.enabled")).isEqualTo("true");
        assertThat(props.getProperty("camel.metrics.binders")).contains("jvm-memory");
    }

    @Test
    void dashboardHasAPodVariableAndRatesOverTheRateInterval() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Manifests.DASHBOARD.toFile());
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.put(variable.path("name").asText(), variable.path("definition").asText());
        }
        assertThat(variables).containsKeys("datasource", "job", "pod");
        assertThat(variables.get("pod")).matches("label_values\\(.*, pod\\)");
        for (String expr : Metrics.dashboardExpressions(dashboard)) {
            for (Metrics.Selector selector : Metrics.selectors(expr)) {
                assertThat(selector.matchers()).as(expr).contains("job=~\"$job\"").contains("pod=~\"$pod\"");
            }
            // Grafana's $__rate_interval: at least four scrapes, whatever the zoom and scrape interval
            assertThat(expr.replaceAll("\\[\\$__rate_interval]", "")).as(expr).doesNotContain("[");
        }
    }

    /** Panels the issue asks for: paused socket, OutdatedCursor, conflicts, bad records, duplicates, failed, cursors. */
    @Test
    void dashboardShowsWhatTheOperatorIsPromised() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Manifests.DASHBOARD.toFile());
        List<String> exprs = Metrics.dashboardExpressions(dashboard);
        assertThat(Metrics.dashboardMetrics(Manifests.DASHBOARD)).contains("firehose_relay_paused",
                "firehose_relay_info_total", "firehose_cursor_conflicts_total", "firehose_bad_records_total",
                "firehose_publish_duplicates_total", "firehose_posts_failed_total", "firehose_cursor",
                "firehose_cursor_stored", "firehose_cursor_lag_seconds", "nats_connected", "firehose_relay_connected");
        assertThat(exprs).anyMatch(e -> e.contains("firehose_relay_info_total") && e.contains("OutdatedCursor"));
        assertThat(exprs).anyMatch(e -> e.contains("firehose_posts_failed_total") && e.contains("by (stage)"));
        // stored cursor beside the current one, in one panel
        assertThat(panels(dashboard)).anyMatch(panel -> {
            Set<String> names = new TreeSet<>();
            panel.path("targets").forEach(t -> names.addAll(Metrics.queried(t.path("expr").asText())));
            return names.contains("firehose_cursor") && names.contains("firehose_cursor_stored");
        });
    }

    @Test
    void dashboardConfigMapIsTheJsonUnderTheSidecarsLabel() {
        ConfigMap map = monitoring.configMaps.get(DASHBOARD_CONFIGMAP);
        assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(map.getData()).hasSize(1);
        assertThat(map.getData().values().iterator().next()).isEqualTo(Manifests.read(Manifests.DASHBOARD));
        assertThat(map.getData().keySet().iterator().next()).endsWith(".json");
        // fixed name: an update replaces the dashboard instead of adding a second one with the same uid
        assertThat(monitoring.hashed).doesNotContain(DASHBOARD_CONFIGMAP);
        // the overlay's generator options must not reach the base's: the settings keep their hash
        assertThat(monitoring.hashed).contains(ManifestTest.ENV_CONFIGMAP);
        assertThat(base.configMaps.get(ManifestTest.ENV_CONFIGMAP).getMetadata().getLabels())
                .doesNotContainKey("grafana_dashboard");
    }

    /** alert name -> rule, from the PrometheusRule's groups. */
    static Map<String, Map<String, Object>> alertRules() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        Map<String, Object> spec = spec(monitoring.ofKind("PrometheusRule").get(0));
        for (Map<String, Object> group : groups(spec)) {
            for (Map<String, Object> rule : rules(group)) {
                String alert = (String) rule.get("alert");
                assertThat(alert).as("alerting rules only").isNotBlank();
                assertThat(out.put(alert, rule)).as(alert + " once").isNull();
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> groups(Map<String, Object> spec) {
        return (List<Map<String, Object>>) spec.get("groups");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(Map<String, Object> group) {
        return (List<Map<String, Object>>) group.get("rules");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        dashboard.path("panels").forEach(out::add);
        return out;
    }

    private static Path executable(String override, String name) {
        String path = System.getenv(override);
        if (path != null && !path.isBlank()) {
            return Path.of(path);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static void run(Path dir, String... command) throws Exception {
        Path output = dir.resolve("promtool.out");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " finishes").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + Files.readString(output)).isZero();
    }
}
