package dev.firehose.ingest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a route file when its content changes, and only that file. Camel's own reload watches directory events
 * for {@code *.yaml} names, which a Kubernetes ConfigMap volume never produces: it swaps a {@code ..data} symlink
 * to a new directory, so the YAML files keep their names and only what they point at changes. This compares
 * file contents (through the symlinks) every few seconds instead.
 *
 * <p>A reload stops the changed route and starts its new version: the open batch is published on stop, the
 * delivery watermark carries on, and the new relay connection asks for the cursor, so nothing is lost or doubled.
 */
public final class RoutesReloader extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesReloader.class);

    private final CamelContext camel;
    private final Path directory;
    private final long intervalMillis;
    private final ScheduledExecutorService timer;
    private final AtomicInteger reloads = new AtomicInteger();
    private Map<Path, String> known = Map.of();

    public RoutesReloader(CamelContext camel, Path directory, long intervalMillis, ScheduledExecutorService timer) {
        this.camel = camel;
        this.directory = directory;
        this.intervalMillis = intervalMillis;
        this.timer = timer;
    }

    @Override
    protected void doStart() throws Exception {
        known = digests();
        timer.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.info("Watching {} for route changes every {} ms", directory.toAbsolutePath(), intervalMillis);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }

    /** How many times a changed route file was loaded. */
    public int reloads() {
        return reloads.get();
    }

    private synchronized void check() {
        try {
            Map<Path, String> now = digests();
            List<Resource> changed = new ArrayList<>();
            for (Map.Entry<Path, String> file : now.entrySet()) {
                if (!file.getValue().equals(known.get(file.getKey()))) {
                    changed.add(ResourceHelper.resolveResource(camel, "file:" + file.getKey()));
                }
            }
            if (changed.isEmpty()) {
                return;
            }
            LOG.info("Route files changed: {}; reloading them", changed.stream().map(Resource::getLocation).toList());
            var routeIds = PluginHelper.getRoutesLoader(camel).updateRoutes(changed);
            known = now;
            reloads.incrementAndGet();
            LOG.info("Reloaded routes {}", routeIds);
        } catch (Exception e) {
            // A broken edit must not take the service down: the running routes stay as they were.
            LOG.error("Could not reload the changed routes (the running ones are kept): {}", e.toString());
        }
    }

    /** SHA-256 of every *.yaml in the directory, read through symlinks; ConfigMap internals (..data) skipped. */
    private Map<Path, String> digests() throws IOException {
        Map<Path, String> out = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.yaml")) {
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith("..") && Files.isRegularFile(file)) {
                    out.put(file, sha256(Files.readAllBytes(file)));
                }
            }
        }
        return out;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
