package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * One kustomization.yaml and the objects kustomize builds from it, as far as {@code k8s/} uses kustomize: the
 * part that kubectl 1.14-1.20's kustomize (v2.0.3) shares with current kustomize. That is {@code bases:} (and
 * directories under {@code resources:}, which only newer kustomize reads), {@code resources:} files,
 * {@code configMapGenerator} with {@code env}/{@code envs} and {@code files}, {@code generatorOptions}
 * ({@code disableNameSuffixHash}, {@code labels}) for the whole file, and {@code images}. Anything else in the
 * file is refused, so a field this model does not know cannot be silently ignored by the tests. Generated
 * ConfigMaps keep their written name; {@link Build#hashed} says which ones kustomize would suffix.
 */
final class Kustomization {

    /** The fields of kustomization.yaml this model builds; ManifestTest keeps k8s/ to them. */
    static final Set<String> FIELDS = Set.of("apiVersion", "kind", "bases", "resources", "configMapGenerator",
            "generatorOptions", "images");

    private static final YAMLMapper YAML = new YAMLMapper();

    final Path dir;
    final JsonNode node;

    private Kustomization(Path dir, JsonNode node) {
        this.dir = dir;
        this.node = node;
    }

    static Kustomization read(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        try {
            JsonNode node = YAML.readTree(file.toFile());
            node.fieldNames().forEachRemaining(field -> {
                if (!FIELDS.contains(field)) {
                    throw new IllegalStateException(file + ": field '" + field + "' is not one the tests build");
                }
            });
            return new Kustomization(dir.normalize(), node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Other kustomizations this one builds on: {@code bases:} and directory entries of {@code resources:}. */
    List<Kustomization> bases() {
        List<Kustomization> out = new ArrayList<>();
        for (String entry : entries("bases")) {
            out.add(read(dir.resolve(entry)));
        }
        for (String entry : entries("resources")) {
            if (Files.isDirectory(dir.resolve(entry))) {
                out.add(read(dir.resolve(entry)));
            }
        }
        return out;
    }

    /** The manifest files of {@code resources:}, in order. */
    List<Path> resourceFiles() {
        return entries("resources").stream().map(dir::resolve).filter(p -> !Files.isDirectory(p))
                .map(Path::normalize).toList();
    }

    /** Every file the generators read (env files and {@code files:} sources, without a {@code key=} prefix). */
    List<Path> generatorSources() {
        List<Path> out = new ArrayList<>();
        for (JsonNode generator : node.path("configMapGenerator")) {
            envFiles(generator).forEach(e -> out.add(dir.resolve(e).normalize()));
            for (JsonNode file : generator.path("files")) {
                out.add(dir.resolve(file.asText().replaceFirst("^[^=]*=", "")).normalize());
            }
        }
        return out;
    }

    /** {@code images:} entries, name to {newName or null, newTag or null}. */
    Map<String, String[]> images() {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (JsonNode image : node.path("images")) {
            out.put(image.path("name").asText(), new String[] {
                    image.hasNonNull("newName") ? image.get("newName").asText() : null,
                    image.hasNonNull("newTag") ? image.get("newTag").asText() : null});
        }
        return out;
    }

    boolean hashesGeneratedNames() {
        return !node.path("generatorOptions").path("disableNameSuffixHash").asBoolean(false);
    }

    /** The ConfigMaps this file's own generators make (not its bases'), by name, as kustomize fills them. */
    Map<String, ConfigMap> generatedConfigMaps() {
        Map<String, String> labels = new LinkedHashMap<>();
        node.path("generatorOptions").path("labels").fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Map<String, ConfigMap> out = new LinkedHashMap<>();
        for (JsonNode generator : node.path("configMapGenerator")) {
            String name = generator.path("name").asText();
            Map<String, String> data = new LinkedHashMap<>();
            for (String env : envFiles(generator)) {
                for (String line : Manifests.read(dir.resolve(env)).split("\n")) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    int eq = l.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalStateException(env + ": not NAME=value: " + line);
                    }
                    if (data.put(l.substring(0, eq), l.substring(eq + 1)) != null) {
                        throw new IllegalStateException(env + ": " + l.substring(0, eq) + " twice");
                    }
                }
            }
            for (JsonNode file : generator.path("files")) {
                String spec = file.asText();
                int eq = spec.indexOf('=');
                String key = eq > 0 ? spec.substring(0, eq) : Path.of(spec).getFileName().toString();
                String path = eq > 0 ? spec.substring(eq + 1) : spec;
                if (data.put(key, Manifests.read(dir.resolve(path))) != null) {
                    throw new IllegalStateException(name + ": key " + key + " twice");
                }
            }
            out.put(name, new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                    .withData(data).build());
        }
        return out;
    }

    /** What {@code kubectl kustomize DIR} makes: bases first, then this file's resources and generators. */
    Build build() {
        Build build = new Build();
        for (Kustomization base : bases()) {
            build.add(base.build());
        }
        for (Path file : resourceFiles()) {
            build.objects.addAll(Manifests.parseAll(Manifests.read(file)));
        }
        generatedConfigMaps().forEach((name, map) -> {
            build.objects.add(map);
            build.configMaps.put(name, map);
            if (hashesGeneratedNames()) {
                build.hashed.add(name);
            }
        });
        build.setImages(images());
        return build;
    }

    private List<String> entries(String field) {
        List<String> out = new ArrayList<>();
        node.path(field).forEach(e -> out.add(e.asText()));
        return out;
    }

    /** {@code env: file} (kustomize v2) or {@code envs: [files]} (v3 and later). */
    private static List<String> envFiles(JsonNode generator) {
        List<String> out = new ArrayList<>();
        if (generator.hasNonNull("env")) {
            out.add(generator.get("env").asText());
        }
        generator.path("envs").forEach(e -> out.add(e.asText()));
        return out;
    }

    /** The objects of a build, typed as {@link Manifests#parseAll} types them. */
    static final class Build {
        final List<HasMetadata> objects = new ArrayList<>();
        /** Generated ConfigMaps by their written name (kustomize may add a hash suffix, see {@link #hashed}). */
        final Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
        final Set<String> hashed = new LinkedHashSet<>();

        private void add(Build base) {
            objects.addAll(base.objects);
            configMaps.putAll(base.configMaps);
            hashed.addAll(base.hashed);
        }

        /** kustomize's image transformer: a container image whose name matches gets the new name and/or tag. */
        private void setImages(Map<String, String[]> images) {
            for (Deployment deployment : ofType(Deployment.class)) {
                for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                    String image = container.getImage();
                    int colon = image.lastIndexOf(':');
                    boolean tagged = colon > image.lastIndexOf('/');
                    String name = tagged ? image.substring(0, colon) : image;
                    String[] change = images.get(name);
                    if (change != null) {
                        String newName = change[0] != null ? change[0] : name;
                        String tag = change[1] != null ? change[1] : tagged ? image.substring(colon + 1) : null;
                        container.setImage(tag == null ? newName : newName + ":" + tag);
                    }
                }
            }
        }

        <T extends HasMetadata> List<T> ofType(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
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

        /** kind/name of every object, in order. */
        List<String> ids() {
            return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
        }
    }
}
