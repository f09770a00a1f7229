package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests under {@code k8s/} against the application they deploy: what it serves, what it reads,
 * the image it runs in; and the layout (k8s/ = k8s/base/, built-in kinds only, and k8s/overlays/monitoring/ on
 * top). Everything is read from the files themselves (kustomizations and what they generate, application.properties,
 * routes/, the Dockerfile); {@link MonitoringManifestTest} checks the monitoring overlay's own objects.
 */
class ManifestTest {

    /** Secret values, only ever from the Secret nats-firehose-ingest-nats (each key optional). */
    static final Set<String> NATS_SECRET_VALUES = Set.of("NATS_USER", "NATS_PASSWORD", "NATS_TOKEN");
    /** Paths of NATS credential/TLS files: set in the env ConfigMap, pointing into the mounted files Secret. */
    static final Set<String> NATS_FILE_PATHS = Set.of("NATS_CREDS", "NATS_NKEY_SEED_FILE", "NATS_TLS_CA",
            "NATS_TLS_CERT", "NATS_TLS_KEY");
    /** Read by the JVM itself (flags on top of the image's); not a setting of the application. */
    static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");
    /** In ingest.env although equal to the application's default: the address the NetworkPolicy opens. */
    static final Set<String> STATED_ON_PURPOSE = Set.of("NATS_URL");
    /** API groups of built-in kinds ("" = core/v1) that any cluster has: all the base may use. */
    static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "networking.k8s.io", "policy");

    static final String ENV_CONFIGMAP = "nats-firehose-ingest-env";
    static final String ROUTES_CONFIGMAP = "nats-firehose-ingest-routes";
    static final String CREDENTIALS_SECRET = "nats-firehose-ingest-nats";
    static final String FILES_SECRET = "nats-firehose-ingest-nats-files";
    static final String NATS_FILES_DIR = "/etc/nats-firehose-ingest/nats";

    static Kustomization.Build base;
    static Deployment deployment;
    static Container container;
    static Map<String, ConfigMap> generated;

    @BeforeAll
    static void load() {
        base = Kustomization.read(Manifests.BASE).build();
        deployment = base.one(Deployment.class);
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as("containers of the Deployment").hasSize(1);
        container = containers.get(0);
        generated = base.configMaps;
    }

    @Test
    void everyManifestParsesIntoTypedObjectsWithoutUnknownFields() {
        Map<String, List<HasMetadata>> files = Manifests.files();
        assertThat(files.keySet()).contains("base/deployment.yaml", "base/service.yaml", "base/networkpolicy.yaml",
                "overlays/monitoring/servicemonitor.yaml", "overlays/monitoring/prometheusrule.yaml",
                "secret.example.yaml");
        for (Map.Entry<String, List<HasMetadata>> file : files.entrySet()) {
            assertThat(file.getValue()).as(file.getKey()).isNotEmpty();
            for (HasMetadata object : file.getValue()) {
                assertThat(object.getApiVersion()).as(file.getKey() + " apiVersion").isNotBlank();
                assertThat(object.getMetadata().getName()).as(file.getKey() + " metadata.name").isNotBlank();
                assertThat(Manifests.unknownFields(object))
                        .as(file.getKey() + ": fields the Kubernetes API does not have (misspelt?)").isEmpty();
            }
        }
        for (ConfigMap map : Kustomization.read(Manifests.MONITORING).build().configMaps.values()) {
            assertThat(Manifests.unknownFields(map)).isEmpty();
        }
    }

    @Test
    void everyManifestBelongsToExactlyOneKustomizationThatReadsOnlyItsOwnDirectory() throws IOException {
        List<Kustomization> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Manifests.K8S)) {
            files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).sorted()
                    .forEach(f -> all.add(Kustomization.read(f.getParent())));
        }
        assertThat(all).extracting(k -> Manifests.K8S.relativize(k.dir).toString())
                .containsExactlyInAnyOrder("", "base", "base/env", "overlays/monitoring");
        List<String> listed = new ArrayList<>();
        for (Kustomization k : all) {
            assertThat(k.node.path("apiVersion").asText()).isEqualTo("kustomize.config.k8s.io/v1beta1");
            assertThat(k.node.path("kind").asText()).isEqualTo("Kustomization");
            for (Path file : k.resourceFiles()) {
                listed.add(Manifests.K8S.relativize(file).toString());
                assertThat(file).as("resources of " + k.dir + " lie in its directory").startsWith(k.dir);
            }
            for (Path source : k.generatorSources()) {
                // kustomize's default load restrictor: no file outside the kustomization's own directory
                assertThat(source).as("generator source of " + k.dir).startsWith(k.dir);
                assertThat(Files.isRegularFile(source)).as(source + " exists").isTrue();
            }
            for (Kustomization baseOfIt : k.bases()) {
                assertThat(baseOfIt.dir).startsWith(Manifests.K8S);
            }
        }
        Set<String> manifestFiles = new TreeSet<>(Manifests.files().keySet());
        manifestFiles.remove("secret.example.yaml"); // a real secret never lives in the repository
        assertThat(listed).as("each manifest in exactly one kustomization").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(listed)).isEqualTo(manifestFiles);
    }

    /** {@code kubectl apply -k k8s/} keeps working, and means the plain base. */
    @Test
    void k8sItselfIsTheBase() {
        Kustomization top = Kustomization.read(Manifests.K8S);
        assertThat(top.bases()).extracting(k -> k.dir).containsExactly(Manifests.BASE);
        assertThat(top.resourceFiles()).isEmpty();
        assertThat(top.generatedConfigMaps()).isEmpty();
        assertThat(top.images()).isEmpty();
        assertThat(top.build().ids()).isEqualTo(base.ids());
    }

    @Test
    void theBaseHasOnlyBuiltInKindsSoItAppliesWithoutTheOperator() {
        for (HasMetadata object : base.objects) {
            String apiVersion = object.getApiVersion();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            assertThat(group).as(object.getKind() + " " + apiVersion + ": not a CRD-backed kind")
                    .isIn(BUILT_IN_GROUPS);
            assertThat(object).as(object.getKind() + " typed by the model").isNotInstanceOf(
                    GenericKubernetesResource.class);
        }
        assertThat(base.ids()).containsExactlyInAnyOrder("ConfigMap/" + ENV_CONFIGMAP,
                "ConfigMap/" + ROUTES_CONFIGMAP, "Deployment/nats-firehose-ingest", "Service/nats-firehose-ingest",
                "NetworkPolicy/nats-firehose-ingest");
    }

    @Test
    void probesAndPortsMatchWhatTheApplicationServes() throws IOException {
        Properties props = Manifests.applicationProperties();
        int port = Integer.parseInt(Manifests.envDefault("health.port"));
        // /health, /ready, /metrics and the platform-http routes all share that one port
        assertThat(props.getProperty("health.port")).contains("HEALTH_CHECK_PORT");
        assertThat(props.getProperty("camel.management.port")).isEqualTo("{{health.port}}");
        assertThat(props.getProperty("camel.server.port")).isEqualTo("{{health.port}}");
        // The probes' paths are routes answering from Camel's health-check registry; Camel's own endpoints stay
        // apart: its root reports readiness checks too, so it would fail liveness while NATS is away.
        String liveness = "/health";
        assertThat(props.getProperty("camel.management.health-path")).isNotEqualTo(liveness).startsWith("/");
        assertThat(props.getProperty("camel.metrics.path")).isEqualTo("/metrics");
        assertThat(routeFiles(Path.of("routes")).values())
                .as("a route serves GET /health").anyMatch(text -> text.contains("\"platform-http:/health\""))
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

        // liveness and start-up on /health (liveness only: NATS down does not restart the pod), readiness on /ready
        assertProbe(container.getStartupProbe(), "startupProbe", liveness, containerPort);
        assertProbe(container.getLivenessProbe(), "livenessProbe", liveness, containerPort);
        assertProbe(container.getReadinessProbe(), "readinessProbe", "/ready", containerPort);
        // start-up gets longer than one liveness period before the kubelet gives up
        Probe startup = container.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(60);

        Service service = base.one(Service.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> "http".equals(p.getName()))
                .findFirst().orElseThrow();
        assertThat(resolve(servicePort.getTargetPort())).isEqualTo(containerPort);
    }

    @Test
    void everyEnvironmentVariableIsOneTheApplicationReads() {
        Set<String> readByApp = Manifests.applicationEnvNames();
        assertThat(readByApp).as("application.properties env names").contains("NATS_URL", "HEALTH_CHECK_PORT")
                .containsAll(NATS_SECRET_VALUES).containsAll(NATS_FILE_PATHS);
        Set<String> allowed = new HashSet<>(readByApp);
        allowed.addAll(JVM_ENV);

        Map<String, String> configMap = generated.get(ENV_CONFIGMAP).getData();
        assertThat(configMap.keySet()).as("k8s/base/env/ingest.env").isNotEmpty().isSubsetOf(readByApp);
        assertThat(configMap.keySet()).as("no secret values in a ConfigMap")
                .doesNotContainAnyElementsOf(NATS_SECRET_VALUES);
        assertThat(configMap.get("NATS_URL")).as("NATS_URL without user:password@").doesNotContain("@");
        configMap.forEach((name, value) -> {
            if (NATS_FILE_PATHS.contains(name)) {
                assertThat(value).as(name + ": a file of the mounted Secret").startsWith(NATS_FILES_DIR + "/");
            }
        });

        List<String> envNames = container.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(envNames).as("Deployment env").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(envNames)).isSubsetOf(allowed);
        assertThat(container.getEnvFrom()).hasSize(1);
        assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo(ENV_CONFIGMAP);
        assertThat(container.getEnvFrom().get(0).getPrefix()).isNull();

        // user/password (and token) from the Secret, every key optional: no Secret = no credentials
        assertThat(envNames).containsAll(NATS_SECRET_VALUES);
        for (EnvVar var : container.getEnv()) {
            if (NATS_SECRET_VALUES.contains(var.getName())) {
                assertThat(var.getValue()).as(var.getName() + " has no literal value").isNull();
                var ref = var.getValueFrom().getSecretKeyRef();
                assertThat(ref.getName()).isEqualTo(CREDENTIALS_SECRET);
                assertThat(ref.getKey()).isEqualTo(var.getName());
                assertThat(ref.getOptional()).as(var.getName() + " optional").isTrue();
            }
        }
        Map<String, Secret> examples = Manifests.files().get("secret.example.yaml").stream()
                .map(Secret.class::cast).collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        assertThat(examples).containsOnlyKeys(CREDENTIALS_SECRET, FILES_SECRET);
        assertThat(examples.get(CREDENTIALS_SECRET).getStringData().keySet()).isSubsetOf(NATS_SECRET_VALUES);
    }

    /** Only what differs from application.properties; the defaults live there, once. */
    @Test
    void ingestEnvHoldsOnlyOverridesOfTheApplicationsDefaults() {
        Map<String, String> defaults = Manifests.applicationEnvDefaults();
        Map<String, String> env = generated.get(ENV_CONFIGMAP).getData();
        env.forEach((name, value) -> {
            if (!STATED_ON_PURPOSE.contains(name)) {
                assertThat(value).as(name + " in ingest.env repeats the application's default").isNotEqualTo(
                        defaults.get(name));
            }
        });
        // the commented examples of file paths (NATS_CREDS=... etc.) point into the mounted Secret
        Matcher example = Pattern.compile("(?m)^#\\s*(NATS_[A-Z_]+)=(\\S+)$")
                .matcher(Manifests.read(Manifests.BASE.resolve("env/ingest.env")));
        Set<String> shown = new TreeSet<>();
        while (example.find()) {
            shown.add(example.group(1));
            assertThat(example.group(2)).as(example.group(1)).startsWith(NATS_FILES_DIR + "/");
        }
        assertThat(shown).isEqualTo(new TreeSet<>(NATS_FILE_PATHS));
    }

    /** NATS_CREDS, NATS_NKEY_SEED_FILE and the TLS PEM files come from an optional Secret volume. */
    @Test
    void natsFilesSecretIsMountedReadOnlyAndOptional() {
        VolumeMount mount = mount(NATS_FILES_DIR);
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(mount.getSubPath()).isNull();
        Volume volume = volume(mount.getName());
        assertThat(volume.getSecret()).as("a Secret volume").isNotNull();
        assertThat(volume.getSecret().getSecretName()).isEqualTo(FILES_SECRET);
        assertThat(volume.getSecret().getOptional()).as("the pod starts without the Secret").isTrue();
        assertThat(volume.getSecret().getItems()).as("every key of the Secret is a file").isNullOrEmpty();
        // 0440: root's and the fsGroup's; the service runs in that group, so it can read, no one else can
        assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0440);
        long gid = Dockerfile.read(Manifests.PROJECT.resolve("Dockerfile")).runtime().gid();
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup()).isEqualTo(gid);
    }

    @Test
    void networkPolicyLetsInOnlyTheHttpPortAndOutOnlyRelayNatsAndDns() {
        NetworkPolicy policy = base.one(NetworkPolicy.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNotEmpty();
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");

        List<NetworkPolicyIngressRule> ingress = policy.getSpec().getIngress();
        assertThat(ingress).hasSize(1);
        assertThat(ingress.get(0).getFrom()).as("probes and Prometheus from anywhere").isNullOrEmpty();
        assertThat(ports(ingress.get(0).getPorts())).containsExactly("TCP/" + containerPort("http"));

        Map<String, NetworkPolicyEgressRule> egress = new LinkedHashMap<>();
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            assertThat(rule.getTo()).as("every egress rule names where to").isNotEmpty();
            assertThat(rule.getPorts()).as("every egress rule names its ports").isNotEmpty();
            egress.put(String.join(",", ports(rule.getPorts())), rule);
        }
        String natsPort = Integer.toString(urlPort(env("NATS_URL"), 4222));
        String relayPort = Integer.toString(urlPort(env("FIREHOSE_URL"), 443));
        assertThat(egress).containsOnlyKeys("UDP/53,TCP/53", "TCP/" + natsPort, "TCP/" + relayPort);

        // DNS: the cluster's DNS pods only
        NetworkPolicyPeer dns = egress.get("UDP/53,TCP/53").getTo().get(0);
        assertThat(dns.getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", "kube-system");
        assertThat(dns.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns");
        // NATS: pods chosen by namespace and label, in the namespace NATS_URL's service name points to
        NetworkPolicyPeer nats = egress.get("TCP/" + natsPort).getTo().get(0);
        String natsHost = URI.create(env("NATS_URL").split(",")[0]).getHost();
        assertThat(nats.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name",
                natsHost.split("\\.")[1]);
        assertThat(nats.getPodSelector().getMatchLabels()).isNotEmpty();
        assertThat(nats.getIpBlock()).isNull();
        // the relay: addresses outside the cluster (no fixed IPs), not the private ranges nor link-local
        List<NetworkPolicyPeer> relay = egress.get("TCP/" + relayPort).getTo();
        assertThat(relay).allMatch(p -> p.getIpBlock() != null && p.getPodSelector() == null
                && p.getNamespaceSelector() == null);
        assertThat(relay).extracting(p -> p.getIpBlock().getCidr()).containsExactlyInAnyOrder("0.0.0.0/0", "::/0");
        assertThat(relay.stream().flatMap(p -> p.getIpBlock().getExcept().stream()).toList())
                .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
    }

    @Test
    void theImageIsAPinnedReleaseTag() {
        Map<String, String[]> images = Kustomization.read(Manifests.BASE).images();
        String written = Manifests.parseAll(Manifests.read(Manifests.BASE.resolve("deployment.yaml"))).stream()
                .filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(written).as("deployment.yaml names the image, kustomization.yaml sets its tag (one place)")
                .doesNotContain(":");
        assertThat(images).containsKey(written);
        String tag = images.get(written)[1];
        assertThat(tag).as("a release version, never latest or a SNAPSHOT").matches("\\d+\\.\\d+\\.\\d+");
        assertThat(container.getImage()).isEqualTo(written + ":" + tag);
        assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
    }

    @Test
    void routesConfigMapIsByteForByteTheRoutesDirectory() throws IOException {
        Path copiesDir = Manifests.BASE.resolve("routes");
        Map<String, String> routes = routeFiles(Path.of("routes"));
        Map<String, String> copies = routeFiles(copiesDir);
        assertThat(routes).as("routes/*.yaml").isNotEmpty();
        assertThat(copies).as("k8s/base/routes/ must equal routes/ (after editing routes: cp routes/*.yaml "
                + "k8s/base/routes/)").isEqualTo(routes);
        for (String name : routes.keySet()) {
            assertThat(Files.mismatch(Path.of("routes", name), copiesDir.resolve(name)))
                    .as("k8s/base/routes/" + name + " byte for byte").isEqualTo(-1L);
        }
        assertThat(generated.get(ROUTES_CONFIGMAP).getData()).isEqualTo(routes);
        // fixed name: an edited route updates the mounted files in place and is reloaded without a restart;
        // the settings' name is hashed: a changed setting rolls the pod
        assertThat(base.hashed).doesNotContain(ROUTES_CONFIGMAP).contains(ENV_CONFIGMAP);

        // mounted where the image's working directory reads them (ROUTES_DIR, default routes/)
        Dockerfile.Stage image = Dockerfile.read(Manifests.PROJECT.resolve("Dockerfile")).runtime();
        Properties properties = Manifests.applicationProperties();
        assertThat(properties.getProperty("camel.main.routes-include-pattern")).isEqualTo(
                "file:{{routes.directory}}/health.yaml,file:{{routes.directory}}/{{firehose.source}}.yaml");
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
        // the launcher's heap (the rest of the JVM stays under 160 MiB: BENCHMARKS.md) fits well inside the limit
        assertThat(Launcher.maxHeapMib() + 160).isLessThan(512);
    }

    /**
     * The real kustomize builds each kustomization (k8s/, the base, the monitoring overlay) into the objects these
     * tests build in Java: same kinds and names, the generated ConfigMaps' data and labels, hashed names where
     * expected and referred to by the Deployment, the image. kubectl from the PATH, or the one {@code KUBECTL}
     * names (e.g. Debian 12's kubectl 1.20 with kustomize v2.0.3); skipped when there is none.
     */
    @Test
    void kubectlKustomizeBuildsWhatTheseTestsCheck() throws Exception {
        Path kubectl = kubectl();
        Assumptions.assumeTrue(kubectl != null, "kubectl not on PATH (nor KUBECTL set)");
        for (Path dir : Manifests.KUSTOMIZATIONS) {
            Kustomization.Build expected = Kustomization.read(dir).build();
            List<HasMetadata> objects = Manifests.parseAll(kustomize(kubectl, dir));
            String where = "kubectl kustomize " + Manifests.PROJECT.relativize(dir);

            List<String> ids = new ArrayList<>();
            for (HasMetadata object : objects) {
                String name = object.getMetadata().getName();
                for (String hashed : expected.hashed) {
                    if (object instanceof ConfigMap && name.matches(Pattern.quote(hashed) + "-[a-z0-9]{10}")) {
                        name = hashed;
                    }
                }
                ids.add(object.getKind() + "/" + name);
            }
            assertThat(ids).as(where + ": kinds and names").containsExactlyInAnyOrderElementsOf(expected.ids());

            Map<String, ConfigMap> maps = objects.stream().filter(ConfigMap.class::isInstance)
                    .map(ConfigMap.class::cast).collect(Collectors.toMap(m -> m.getMetadata().getName(), m -> m));
            Map<String, String> builtName = new LinkedHashMap<>();
            for (ConfigMap want : expected.configMaps.values()) {
                String name = want.getMetadata().getName();
                ConfigMap actual = maps.values().stream().filter(m -> expected.hashed.contains(name)
                                ? m.getMetadata().getName().matches(Pattern.quote(name) + "-[a-z0-9]{10}")
                                : m.getMetadata().getName().equals(name))
                        .findFirst().orElseThrow(() -> new AssertionError(where + " made no ConfigMap " + name));
                assertThat(actual.getData()).as(where + ": " + name + " data").isEqualTo(want.getData());
                assertThat(actual.getMetadata().getLabels()).as(where + ": " + name + " labels")
                        .containsAllEntriesOf(want.getMetadata().getLabels());
                builtName.put(name, actual.getMetadata().getName());
            }

            Deployment built = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                    .findFirst().orElseThrow();
            Container c = built.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).as(where + ": envFrom the hashed name")
                    .isEqualTo(builtName.get(ENV_CONFIGMAP)).startsWith(ENV_CONFIGMAP + "-");
            assertThat(built.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getConfigMap() != null).map(v -> v.getConfigMap().getName()))
                    .containsExactly(ROUTES_CONFIGMAP);
            assertThat(c.getImage()).as(where + ": image").isEqualTo(container.getImage());
            assertThat(built).as(where + ": the Deployment as these tests see it")
                    .isEqualTo(withEnvFrom(deployment, c.getEnvFrom().get(0).getConfigMapRef().getName()));
        }
    }

    /** The Java build's Deployment with envFrom renamed as kustomize's hash suffix renames it. */
    private static Deployment withEnvFrom(Deployment source, String envName) {
        Deployment copy = Manifests.parseAll(Manifests.read(Manifests.BASE.resolve("deployment.yaml"))).stream()
                .filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        Container c = copy.getSpec().getTemplate().getSpec().getContainers().get(0);
        c.setImage(source.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        c.getEnvFrom().get(0).getConfigMapRef().setName(envName);
        return copy;
    }

    private static String kustomize(Path kubectl, Path dir) throws Exception {
        Path stderr = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectError(stderr.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize " + dir + ": " + Files.readString(stderr)).isZero();
            return new String(out, java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    static Path kubectl() {
        String override = System.getenv("KUBECTL");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static String env(String name) {
        return generated.get(ENV_CONFIGMAP).getData().getOrDefault(name, Manifests.applicationEnvDefaults().get(name));
    }

    private static int urlPort(String url, int schemeDefault) {
        int port = URI.create(url.split(",")[0].strip()).getPort();
        return port > 0 ? port : schemeDefault;
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(p -> p.getProtocol() + "/" + resolve(p.getPort())).toList();
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
