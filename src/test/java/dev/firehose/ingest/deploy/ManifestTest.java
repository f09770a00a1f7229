package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests under {@code k8s/} against the application they deploy: what it serves, what it reads,
 * the image it runs in. Everything is read from the files themselves (manifests, kustomization.yaml and its
 * generators, application.properties, routes/, the Dockerfile, the sources for metric names).
 */
class ManifestTest {

    /**
     * NATS credentials, read by the application once the NATS auth work lands (they may not be in
     * application.properties yet); only these may come from the Secret.
     */
    static final Set<String> NATS_CREDENTIALS = Set.of("NATS_USER", "NATS_PASSWORD", "NATS_TOKEN", "NATS_CREDS",
            "NATS_NKEY_SEED_FILE", "NATS_TLS_CA", "NATS_TLS_CERT", "NATS_TLS_KEY");
    /** Read by the JVM itself (flags on top of the image's); not a setting of the application. */
    static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");

    static final String ENV_CONFIGMAP = "nats-firehose-ingest-env";
    static final String ROUTES_CONFIGMAP = "nats-firehose-ingest-routes";
    static final String DASHBOARD_CONFIGMAP = "nats-firehose-ingest-dashboard";
    static final String CREDENTIALS_SECRET = "nats-firehose-ingest-nats";

    static Manifests manifests;
    static Deployment deployment;
    static Container container;
    static Map<String, ConfigMap> generated;

    @BeforeAll
    static void load() {
        manifests = Manifests.load();
        deployment = manifests.one(Deployment.class);
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as("containers of the Deployment").hasSize(1);
        container = containers.get(0);
        generated = manifests.generatedConfigMaps();
    }

    @Test
    void everyManifestParsesIntoTypedObjectsWithoutUnknownFields() {
        assertThat(manifests.byFile.keySet()).contains("deployment.yaml", "service.yaml", "servicemonitor.yaml");
        for (Map.Entry<String, List<HasMetadata>> file : manifests.byFile.entrySet()) {
            assertThat(file.getValue()).as(file.getKey()).isNotEmpty();
            for (HasMetadata object : file.getValue()) {
                assertThat(object.getApiVersion()).as(file.getKey() + " apiVersion").isNotBlank();
                assertThat(object.getMetadata().getName()).as(file.getKey() + " metadata.name").isNotBlank();
                assertThat(Manifests.unknownFields(object))
                        .as(file.getKey() + ": fields the Kubernetes API does not have (misspelt?)").isEmpty();
            }
        }
        GenericKubernetesResource monitor = manifests.ofKind("ServiceMonitor").get(0);
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        for (ConfigMap map : generated.values()) {
            assertThat(Manifests.unknownFields(map)).isEmpty();
        }
    }

    @Test
    void kustomizationListsEveryManifestButTheSecretExample() throws IOException {
        assertThat(manifests.kustomization.path("apiVersion").asText()).isEqualTo("kustomize.config.k8s.io/v1beta1");
        assertThat(manifests.kustomization.path("kind").asText()).isEqualTo("Kustomization");
        Set<String> listed = new TreeSet<>(manifests.resources());
        Set<String> manifestFiles = new TreeSet<>(manifests.byFile.keySet());
        manifestFiles.remove("secret.example.yaml");
        assertThat(listed).as("kustomization resources = the manifests in k8s/ (secret.example.yaml excepted)")
                .isEqualTo(manifestFiles);
        assertThat(listed).doesNotContain("secret.example.yaml"); // a real secret never lives in the repository
        for (JsonNode generator : manifests.kustomization.path("configMapGenerator")) {
            List<String> paths = new ArrayList<>();
            generator.path("envs").forEach(e -> paths.add(e.asText()));
            generator.path("files").forEach(f -> paths.add(f.asText().replaceFirst("^[^=]*=", "")));
            for (String path : paths) {
                Path file = Manifests.K8S.resolve(path).normalize();
                assertThat(file).as("kustomize reads files only under k8s/: " + path).startsWith(Manifests.K8S);
                assertThat(Files.isRegularFile(file)).as(path + " exists").isTrue();
            }
        }
        assertThat(generated).containsKeys(ENV_CONFIGMAP, ROUTES_CONFIGMAP, DASHBOARD_CONFIGMAP);
        // the image the Deployment names is the one kustomize's images: entry retags
        assertThat(manifests.kustomization.path("images").findValuesAsText("name")).contains(container.getImage());
    }

    @Test
    void probesAndPortsMatchWhatTheApplicationServes() throws IOException {
        Properties props = Manifests.applicationProperties();
        int port = Integer.parseInt(Manifests.envDefault("health.port"));
        // /health, /ready, /metrics and the platform-http routes all share that one port
        assertThat(props.getProperty("health.port")).contains("HEALTH_CHECK_PORT");
        assertThat(props.getProperty("camel.management.port")).isEqualTo("{{health.port}}");
        assertThat(props.getProperty("camel.server.port")).isEqualTo("{{health.port}}");
        String liveness = props.getProperty("camel.management.health-path");
        String metrics = props.getProperty("camel.metrics.path");
        assertThat(liveness).isEqualTo("/health");
        assertThat(metrics).isEqualTo("/metrics");
        assertThat(routeFiles(Path.of("routes")).values())
                .as("a route serves GET /ready").anyMatch(text -> text.contains("\"platform-http:/ready\""));

        Map<String, String> env = generated.get(ENV_CONFIGMAP).getData();
        int containerPort = containerPort("http");
        assertThat(containerPort).as("container port 'http' = HEALTH_CHECK_PORT")
                .isEqualTo(Integer.parseInt(env.getOrDefault("HEALTH_CHECK_PORT", Integer.toString(port))));
        assertThat(containerPort).as("the default port, as the image EXPOSEs").isEqualTo(port);
        assertThat(Dockerfile.read(Manifests.PROJECT.resolve("Dockerfile")).runtime().exposed)
                .contains(Integer.toString(port));
        // the kubelet probes the pod IP: the service must not bind loopback only
        assertThat(env.getOrDefault("HEALTH_CHECK_HOST", Manifests.envDefault("health.host"))).isEqualTo("0.0.0.0");

        assertProbe(container.getStartupProbe(), "startupProbe", liveness, containerPort);
        assertProbe(container.getLivenessProbe(), "livenessProbe", liveness, containerPort);
        assertProbe(container.getReadinessProbe(), "readinessProbe", "/ready", containerPort);
        // start-up gets longer than one liveness period before the kubelet gives up
        Probe startup = container.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(60);

        Service service = manifests.one(Service.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> "http".equals(p.getName()))
                .findFirst().orElseThrow();
        assertThat(resolve(servicePort.getTargetPort())).isEqualTo(containerPort);

        GenericKubernetesResource monitor = manifests.ofKind("ServiceMonitor").get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, String> matchLabels = (Map<String, String>) ((Map<String, Object>) spec.get("selector"))
                .get("matchLabels");
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(matchLabels);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0)).containsEntry("port", servicePort.getName()).containsEntry("path", metrics);
    }

    @Test
    void everyEnvironmentVariableIsOneTheApplicationReads() {
        Set<String> readByApp = Manifests.applicationEnvNames();
        assertThat(readByApp).as("application.properties env names").contains("NATS_URL", "HEALTH_CHECK_PORT");
        Set<String> allowed = new HashSet<>(readByApp);
        allowed.addAll(NATS_CREDENTIALS);
        allowed.addAll(JVM_ENV);

        Map<String, String> configMap = generated.get(ENV_CONFIGMAP).getData();
        assertThat(configMap.keySet()).as("k8s/ingest.env").isNotEmpty().isSubsetOf(readByApp);
        assertThat(configMap.keySet()).as("no credentials in a ConfigMap").doesNotContainAnyElementsOf(NATS_CREDENTIALS);
        assertThat(configMap.get("NATS_URL")).as("NATS_URL without user:password@").doesNotContain("@");

        List<String> envNames = container.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(envNames).as("Deployment env").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(envNames)).isSubsetOf(allowed);
        assertThat(container.getEnvFrom()).hasSize(1);
        assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo(ENV_CONFIGMAP);
        assertThat(container.getEnvFrom().get(0).getPrefix()).isNull();

        // user/password (and token) from the Secret, every key optional: no Secret = no credentials
        assertThat(envNames).contains("NATS_USER", "NATS_PASSWORD");
        for (EnvVar var : container.getEnv()) {
            if (NATS_CREDENTIALS.contains(var.getName())) {
                assertThat(var.getValue()).as(var.getName() + " has no literal value").isNull();
                var ref = var.getValueFrom().getSecretKeyRef();
                assertThat(ref.getName()).isEqualTo(CREDENTIALS_SECRET);
                assertThat(ref.getKey()).isEqualTo(var.getName());
                assertThat(ref.getOptional()).as(var.getName() + " optional").isTrue();
            }
        }
        Secret example = manifests.ofType(Secret.class).get(0);
        assertThat(example.getMetadata().getName()).isEqualTo(CREDENTIALS_SECRET);
        assertThat(example.getStringData().keySet()).isSubsetOf(NATS_CREDENTIALS);
    }

    @Test
    void routesConfigMapIsByteForByteTheRoutesDirectory() throws IOException {
        Map<String, String> routes = routeFiles(Path.of("routes"));
        Map<String, String> copies = routeFiles(Manifests.K8S.resolve("routes"));
        assertThat(routes).as("routes/*.yaml").isNotEmpty();
        assertThat(copies).as("k8s/routes/ must equal routes/ (after editing routes: cp routes/*.yaml k8s/routes/)")
                .isEqualTo(routes);
        for (String name : routes.keySet()) {
            assertThat(Files.mismatch(Path.of("routes", name), Manifests.K8S.resolve("routes").resolve(name)))
                    .as("k8s/routes/" + name + " byte for byte").isEqualTo(-1L);
        }
        assertThat(generated.get(ROUTES_CONFIGMAP).getData()).isEqualTo(routes);

        // mounted where the image's working directory reads them (ROUTES_DIR, default routes/)
        Dockerfile.Stage image = Dockerfile.read(Manifests.PROJECT.resolve("Dockerfile")).runtime();
        Properties properties = Manifests.applicationProperties();
        assertThat(properties.getProperty("camel.main.routes-include-pattern"))
                .isEqualTo("file:{{routes.directory}}/*.yaml");
        assertThat(properties.getProperty("routes.directory")).isEqualTo("{{env:ROUTES_DIR:routes}}");
        String routesDir = Dockerfile.join(image.workdir, "routes");
        assertThat(image.copies).anyMatch(c -> c.from() == null && c.sources().equals(List.of("routes/"))
                && c.destination().replaceFirst("/$", "").equals(routesDir));
        VolumeMount mount = mount(routesDir);
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(mount.getSubPath()).as("no subPath: the ConfigMap replaces the whole directory").isNull();
        Volume volume = volume(mount.getName());
        assertThat(volume.getConfigMap().getName()).isEqualTo(ROUTES_CONFIGMAP);
        assertThat(volume.getConfigMap().getItems()).as("every key of the ConfigMap is a file").isNullOrEmpty();
    }

    @Test
    void securityContextIsLockedDown() {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Dockerfile.Stage image = Dockerfile.read(Manifests.PROJECT.resolve("Dockerfile")).runtime();
        assertThat(image.uid()).as("image USER is not root").isPositive();

        PodSecurityContext podContext = pod.getSecurityContext();
        assertThat(podContext.getRunAsNonRoot()).isTrue();
        assertThat(podContext.getRunAsUser()).as("runAsUser = the Dockerfile's USER").isEqualTo(image.uid());
        assertThat(podContext.getRunAsGroup()).isEqualTo(image.gid());
        assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        SecurityContext ctx = container.getSecurityContext();
        assertThat(ctx.getRunAsNonRoot()).isTrue();
        assertThat(ctx.getRunAsUser()).isEqualTo(image.uid());
        assertThat(ctx.getRunAsGroup()).isEqualTo(image.gid());
        assertThat(ctx.getReadOnlyRootFilesystem()).isTrue();
        assertThat(ctx.getAllowPrivilegeEscalation()).isFalse();
        assertThat(ctx.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(ctx.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(ctx.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(ctx.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();

        // a read-only root file system needs a writable /tmp (JVM, Vert.x file cache)
        VolumeMount tmp = mount("/tmp");
        assertThat(volume(tmp.getName()).getEmptyDir()).isNotNull();
    }

    @Test
    void oneReplicaRecreatedWithTheSizedResources() {
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate()).isNull();
        var resources = container.getResources();
        assertQuantity(resources.getRequests(), "cpu", "100m");
        assertQuantity(resources.getRequests(), "memory", "256Mi");
        assertQuantity(resources.getLimits(), "cpu", "500m");
        assertQuantity(resources.getLimits(), "memory", "512Mi");
        // camel-main's shutdown (open batch published, cursor stored) fits in the grace period
        long shutdown = Long.parseLong(Manifests.applicationProperties().getProperty("camel.main.shutdown-timeout"));
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(shutdown);
        // the JVM is sized for the limit by a percentage, not a fixed -Xmx that could exceed it
        String jvm = Dockerfile.read(Manifests.PROJECT.resolve("Dockerfile")).runtime().env.get("JAVA_TOOL_OPTIONS");
        assertThat(jvm).contains("-XX:MaxRAMPercentage=").doesNotContain("-Xmx");
    }

    @Test
    void dashboardQueriesOnlyMetricsTheApplicationExports() throws IOException {
        Path json = Manifests.K8S.resolve("grafana-dashboard.json");
        JsonNode dashboard = new ObjectMapper().readTree(json.toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        List<String> exprs = Metrics.dashboardExpressions(dashboard);
        assertThat(exprs).as("panel queries").hasSizeGreaterThan(10).allMatch(e -> !e.isBlank());

        Set<String> exported = new TreeSet<>(Metrics.exportedBySources(Manifests.PROJECT.resolve("src/main/java")));
        assertThat(exported).as("names found in src/main/java")
                .contains("firehose_messages_per_second", "nats_firehose_posts_published_total",
                        "firehose_publish_seconds_bucket", "firehose_frames_total");
        exported.addAll(Metrics.CAMEL_AND_JVM);
        Set<String> queried = Metrics.dashboardMetrics(json);
        assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThan(15);
        assertThat(queried).as("every queried metric is exported by the application").isSubsetOf(exported);
        // the JVM and Camel names exist only with these settings
        Properties props = Manifests.applicationProperties();
        assertThat(props.getProperty("camel.metrics.enabled")).isEqualTo("true");
        assertThat(props.getProperty("camel.metrics.binders")).contains("jvm-memory");

        // the ConfigMap the Grafana sidecar loads is this file, under a label it looks for
        ConfigMap map = generated.get(DASHBOARD_CONFIGMAP);
        assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(map.getData()).hasSize(1);
        assertThat(map.getData().values().iterator().next()).isEqualTo(Manifests.read(json));
        assertThat(map.getData().keySet().iterator().next()).endsWith(".json");
    }

    /**
     * The real kustomize (kubectl's, on the machine images here) builds the directory, and its ConfigMaps are
     * the ones the other tests build from the generators; the Deployment refers to them by their hashed names.
     */
    @Test
    void kubectlKustomizeBuildsWhatTheseTestsCheck() throws Exception {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(kubectl != null, "kubectl not on PATH");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", Manifests.K8S.toString())
                .redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String rendered = new String(out, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("kubectl kustomize k8s/: " + rendered).isZero();

        List<HasMetadata> objects = Manifests.parseAll(rendered);
        Map<String, ConfigMap> maps = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .collect(Collectors.toMap(m -> m.getMetadata().getName(), m -> m));
        for (ConfigMap expected : generated.values()) {
            String base = expected.getMetadata().getName();
            ConfigMap actual = maps.values().stream()
                    .filter(m -> m.getMetadata().getName().equals(base)
                            || m.getMetadata().getName().matches(java.util.regex.Pattern.quote(base) + "-[a-z0-9]{10}"))
                    .findFirst().orElseThrow(() -> new AssertionError("kustomize made no ConfigMap " + base));
            assertThat(actual.getData()).as(base + " data").isEqualTo(expected.getData());
            assertThat(actual.getMetadata().getLabels()).as(base + " labels")
                    .containsAllEntriesOf(expected.getMetadata().getLabels());
        }
        assertThat(maps).containsKey(DASHBOARD_CONFIGMAP); // fixed name: one dashboard, replaced on update

        Deployment built = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        Container c = built.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(maps).containsKey(c.getEnvFrom().get(0).getConfigMapRef().getName());
        assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).startsWith(ENV_CONFIGMAP + "-");
        String routesVolume = built.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null).map(v -> v.getConfigMap().getName()).findFirst().orElseThrow();
        assertThat(maps).containsKey(routesVolume);
        // fixed name: an edited route updates the mounted files in place and is reloaded without a restart
        assertThat(routesVolume).isEqualTo(ROUTES_CONFIGMAP);
        assertThat(c.getImage()).startsWith(container.getImage() + ":");
        assertThat(objects.stream().map(HasMetadata::getKind).toList())
                .containsExactlyInAnyOrder("ConfigMap", "ConfigMap", "ConfigMap", "Service", "Deployment",
                        "ServiceMonitor");
    }

    private static void assertProbe(Probe probe, String what, String path, int port) {
        assertThat(probe).as(what).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as(what + ".httpGet").isNotNull();
        assertThat(get.getPath()).as(what + " path").isEqualTo(path);
        assertThat(resolve(get.getPort())).as(what + " port").isEqualTo(port);
        assertThat(get.getScheme()).as(what + " scheme").isIn(null, "HTTP");
    }

    private static int resolve(IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal() : containerPort(port.getStrVal());
    }

    private static int containerPort(String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    private static VolumeMount mount(String path) {
        return container.getVolumeMounts().stream().filter(m -> path.equals(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static Volume volume(String name) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> name.equals(v.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static void assertQuantity(Map<String, Quantity> quantities, String key, String expected) {
        assertThat(quantities).containsKey(key);
        BigDecimal actual = quantities.get(key).getNumericalAmount();
        assertThat(actual.compareTo(new Quantity(expected).getNumericalAmount())).as(key + " = " + expected)
                .isZero();
    }

    /** *.yaml in dir, file name -> text. */
    static Map<String, String> routeFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .collect(Collectors.toMap(f -> f.getFileName().toString(), Manifests::read, (a, b) -> a,
                            java.util.TreeMap::new));
        }
    }
}
