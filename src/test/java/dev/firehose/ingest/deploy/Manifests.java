package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/**
 * The files under {@code k8s/} read into fabric8's typed model ({@link Kustomization} builds them the way kustomize
 * does), and the application's own settings (application.properties, log4j2.xml) they are checked against.
 */
final class Manifests {

    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final Path K8S = PROJECT.resolve("k8s");
    /** The plain base, for any cluster; {@code k8s/} itself points here. */
    static final Path BASE = K8S.resolve("base");
    /** The base plus ServiceMonitor, PrometheusRule and the Grafana dashboard (Prometheus Operator). */
    static final Path MONITORING = K8S.resolve("overlays/monitoring");
    static final Path DASHBOARD = MONITORING.resolve("grafana-dashboard.json");
    /** Every kustomization directory under k8s/, each of which {@code kubectl apply -k} must take. */
    static final List<Path> KUSTOMIZATIONS = List.of(K8S, BASE, MONITORING);
    static final Path APPLICATION_PROPERTIES = PROJECT.resolve("src/main/resources/application.properties");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class,
            "Service", Service.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "NetworkPolicy", NetworkPolicy.class,
            "ServiceMonitor", GenericKubernetesResource.class,
            "PrometheusRule", GenericKubernetesResource.class);

    private Manifests() {
    }

    /**
     * Every manifest under k8s/ (*.yaml but kustomization.yaml and the route copies in routes/ directories), by
     * path relative to k8s/, to its documents, typed.
     */
    static Map<String, List<HasMetadata>> files() {
        Map<String, List<HasMetadata>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Path relative = K8S.relativize(file);
                if (file.getFileName().toString().equals("kustomization.yaml")
                        || (relative.getParent() != null && relative.getParent().endsWith("routes"))) {
                    continue;
                }
                out.put(relative.toString(), parseAll(read(file)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a (multi-document) YAML text, typed by its kind. */
    static List<HasMetadata> parseAll(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                String kind = doc.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                if (type == null) {
                    throw new IllegalStateException("kind '" + kind + "' is not one the tests know");
                }
                objects.add(YAML.treeToValue(doc, type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(APPLICATION_PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::([^}]*))?}}");

    static final Path LOG4J2_XML = PROJECT.resolve("src/main/resources/log4j2.xml");
    private static final Pattern LOG4J2_ENV = Pattern.compile(
            "\\$\\{env:([A-Za-z0-9_]+)|EnvironmentArbiter\\s+propertyName=\"([A-Za-z0-9_]+)\"");

    /**
     * What the service reads from its environment: every NAME of a {@code {{env:NAME:default}}} in
     * application.properties, and the variables log4j2.xml reads ({@code ${env:NAME}}, EnvironmentArbiter).
     */
    static Set<String> applicationEnvNames() {
        Set<String> names = new TreeSet<>();
        Matcher m = ENV_PLACEHOLDER.matcher(read(APPLICATION_PROPERTIES));
        while (m.find()) {
            names.add(m.group(1));
        }
        Matcher log = LOG4J2_ENV.matcher(read(LOG4J2_XML));
        while (log.find()) {
            names.add(log.group(1) != null ? log.group(1) : log.group(2));
        }
        return names;
    }

    private static final Pattern LOG4J2_ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+):-([^}]*)}");

    /**
     * What the service uses for each variable it reads when the variable is not set: the default of its
     * {@code {{env:NAME:default}}} in application.properties, or of {@code ${env:NAME:-default}} in log4j2.xml.
     * LOG_FORMAT has none written: log4j2.xml's arbiters take the JSON layout unless it is "console".
     */
    static Map<String, String> applicationEnvDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher m = ENV_PLACEHOLDER.matcher(read(APPLICATION_PROPERTIES));
        while (m.find()) {
            defaults.putIfAbsent(m.group(1), m.group(2) == null ? "" : m.group(2));
        }
        Matcher log = LOG4J2_ENV_DEFAULT.matcher(read(LOG4J2_XML));
        while (log.find()) {
            defaults.putIfAbsent(log.group(1), log.group(2));
        }
        defaults.putIfAbsent("LOG_FORMAT", "json");
        return defaults;
    }

    /** The default of {@code {{env:NAME:default}}} in property {@code key}. */
    static String envDefault(String key) {
        String value = applicationProperties().getProperty(key);
        Matcher m = ENV_PLACEHOLDER.matcher(value == null ? "" : value);
        if (!m.matches()) {
            throw new IllegalStateException(key + " is not {{env:NAME:default}}: " + value);
        }
        return m.group(2);
    }

    /**
     * Typed parsing keeps unknown fields in fabric8's additionalProperties instead of failing: so a misspelt
     * field ({@code readOnlyRootFileSystem}) would pass silently. This walks the object graph and returns every
     * path where such a field landed.
     */
    static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found, new IdentityHashMap<>());
        return found;
    }

    private static void walk(Object node, String path, List<String> found, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")
                || node instanceof GenericKubernetesResource) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            try {
                Object value = getter.invoke(node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add((path.isEmpty() ? "" : path + ".") + extra.keySet());
                    }
                } else {
                    walk(value, path + "." + getter.getName(), found, seen);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // computed getters of the model (none of ours throw): ignore
            }
        }
    }
}
