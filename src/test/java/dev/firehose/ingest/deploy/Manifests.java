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
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The files under {@code k8s/} read into fabric8's typed model, and the ConfigMaps that kustomize's
 * {@code configMapGenerator} would make from kustomization.yaml (env file, files, labels), so the tests check
 * the objects a cluster would get. Also the application's own settings (application.properties).
 */
final class Manifests {

    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final Path K8S = PROJECT.resolve("k8s");
    static final Path APPLICATION_PROPERTIES = PROJECT.resolve("src/main/resources/application.properties");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class,
            "Service", Service.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "ServiceMonitor", GenericKubernetesResource.class);

    /** k8s/NAME.yaml (top level, not the route copies under k8s/routes/) -> its documents, typed. */
    final Map<String, List<HasMetadata>> byFile = new LinkedHashMap<>();
    final JsonNode kustomization;

    private Manifests(JsonNode kustomization) {
        this.kustomization = kustomization;
    }

    static Manifests load() {
        try (Stream<Path> files = Files.list(K8S)) {
            Manifests manifests = new Manifests(YAML.readTree(K8S.resolve("kustomization.yaml").toFile()));
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                manifests.byFile.put(file.getFileName().toString(), parseAll(read(file)));
            }
            return manifests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a (multi-document) YAML text, typed by its kind. */
    static List<HasMetadata> parseAll(String yaml) throws IOException {
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
        }
        return objects;
    }

    List<HasMetadata> all() {
        return byFile.values().stream().flatMap(List::stream).toList();
    }

    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return all().stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = ofType(type);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    List<GenericKubernetesResource> ofKind(String kind) {
        return ofType(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    List<String> resources() {
        List<String> out = new ArrayList<>();
        kustomization.path("resources").forEach(r -> out.add(r.asText()));
        return out;
    }

    /** The ConfigMaps of configMapGenerator, by generator name, as kustomize builds them (before the hash suffix). */
    Map<String, ConfigMap> generatedConfigMaps() {
        Map<String, ConfigMap> out = new LinkedHashMap<>();
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            String name = generator.path("name").asText();
            Map<String, String> data = new LinkedHashMap<>();
            for (JsonNode env : generator.path("envs")) {
                for (String line : read(K8S.resolve(env.asText())).split("\n")) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    int eq = l.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalStateException(env.asText() + ": not NAME=value: " + line);
                    }
                    if (data.put(l.substring(0, eq), l.substring(eq + 1)) != null) {
                        throw new IllegalStateException(env.asText() + ": " + l.substring(0, eq) + " twice");
                    }
                }
            }
            for (JsonNode file : generator.path("files")) {
                String spec = file.asText();
                int eq = spec.indexOf('=');
                String key = eq > 0 ? spec.substring(0, eq) : Path.of(spec).getFileName().toString();
                String path = eq > 0 ? spec.substring(eq + 1) : spec;
                if (data.put(key, read(K8S.resolve(path))) != null) {
                    throw new IllegalStateException(name + ": key " + key + " twice");
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            generator.path("options").path("labels").fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.put(name, new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                    .withData(data).build());
        }
        return out;
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
