package dev.firehose.ingest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A directory in the shape Kubernetes mounts a ConfigMap: each file is a symlink {@code name -> ..data/name},
 * {@code ..data -> ..<timestamp>/}, and an update writes a new timestamped directory, points {@code ..data_tmp}
 * at it and renames that over {@code ..data} (one atomic switch of every file).
 */
public final class ConfigMapVolume {

    private final Path dir;
    private int versions;

    private ConfigMapVolume(Path dir) {
        this.dir = dir;
    }

    /** A new volume holding {@code files} (name to content). */
    public static ConfigMapVolume create(Map<String, String> files) {
        try {
            ConfigMapVolume volume = new ConfigMapVolume(Files.createTempDirectory("configmap-volume"));
            Path first = volume.writeVersion(files);
            for (String name : files.keySet()) {
                Files.createSymbolicLink(volume.dir.resolve(name), Path.of("..data", name));
            }
            Files.createSymbolicLink(volume.dir.resolve("..data"), first.getFileName());
            return volume;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The routes this project ships ({@code routes/*.yaml}), file name to content: a routes volume's first version. */
    public static Map<String, String> shippedRoutes() {
        Map<String, String> routes = new java.util.TreeMap<>();
        try (var files = Files.newDirectoryStream(Path.of("routes"), "*.yaml")) {
            for (Path file : files) {
                routes.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return routes;
    }

    /** The shipped routes with one file's content replaced: the edit a test publishes. */
    public static Map<String, String> shippedRoutesWith(String file, String content) {
        Map<String, String> routes = shippedRoutes();
        routes.put(file, content);
        return routes;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** The kubelet's update: the same file names, new contents. */
    public void publish(Map<String, String> files) {
        try {
            Path next = writeVersion(files);
            Path tmp = dir.resolve("..data_tmp");
            Files.createSymbolicLink(tmp, next.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeVersion(Map<String, String> files) throws IOException {
        Path version = Files.createDirectory(dir.resolve(String.format("..2026_11_27_00_%02d_00.%09d", versions, versions + 1)));
        versions++;
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(version.resolve(file.getKey()), file.getValue());
        }
        return version;
    }
}
