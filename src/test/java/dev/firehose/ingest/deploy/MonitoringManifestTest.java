package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/overlays/monitoring/: the base unchanged, plus the ServiceMonitor and the Grafana dashboard, checked against
 * the metric names the application exports (read from its sources).
 */
class MonitoringManifestTest {

    static final String DASHBOARD_CONFIGMAP = "nats-firehose-ingest-dashboard";

    static Kustomization.Build base;
    static Kustomization.Build monitoring;
    static Set<String> exported;

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
    void theOverlayIsTheBaseUnchangedPlusServiceMonitorAndDashboard() {
        List<String> added = new ArrayList<>(monitoring.ids());
        for (String id : base.ids()) {
            assertThat(added.remove(id)).as("the overlay keeps " + id).isTrue();
        }
        assertThat(added).containsExactlyInAnyOrder("ServiceMonitor/nats-firehose-ingest",
                "ConfigMap/" + DASHBOARD_CONFIGMAP);
        assertThat(monitoring.objects).containsAll(base.objects);
        assertThat(monitoring.ofKind("ServiceMonitor").get(0).getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
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
    }

    @Test
    void dashboardQueriesOnlyMetricsTheApplicationExports() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Manifests.DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        List<String> exprs = Metrics.dashboardExpressions(dashboard);
        assertThat(exprs).as("panel queries").hasSizeGreaterThan(10).allMatch(e -> !e.isBlank());
        Set<String> queried = Metrics.dashboardMetrics(Manifests.DASHBOARD);
        assertThat(queried).as("every queried metric is exported by the application").isSubsetOf(exported);
        // the JVM and Camel names exist only with these settings
        Properties props = Manifests.applicationProperties();
        assertThat(props.getProperty("camel.metrics.enabled")).isEqualTo("true");
        assertThat(props.getProperty("camel.metrics.binders")).contains("jvm-memory");
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
