package dev.firehose.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Reloads a route file when its content changes, and only that file; only the files the service loaded are watched
 * (the health routes and the selected source's), so an edit of the other source's file never starts that source.
 * Camel's own reload watches directory events
 * for {@code *.yaml} names, which a Kubernetes ConfigMap volume never produces: it swaps a {@code ..data} symlink
 * to a new directory, so the YAML files keep their names and only what they point at changes. This compares
 * file contents (through the symlinks) every few seconds instead. A changed file that does not load or start is
 * logged, and the version that ran before is loaded again.
 *
 * <p>A reload stops the changed route and starts its new version: the open batch is published on stop, the
 * delivery watermark carries on, and the new relay connection asks for the cursor, so nothing is lost or doubled.
 */
public final class RoutesReloader extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesReloader.class);

    private final CamelContext camel;
    private final Path directory;
    private final List<String> files;
    private final long intervalMillis;
    private final ScheduledExecutorService timer;
    private final AtomicInteger reloads = new AtomicInteger();
    /** What is on disk, as last checked. */
    private Map<Path, String> seen = Map.of();
    /** What runs: the last version of each file that loaded. */
    private final Map<Path, String> loaded = new HashMap<>();

    /** @param files the names of the route files in {@code directory} that the service loaded */
    public RoutesReloader(CamelContext camel, Path directory, List<String> files, long intervalMillis,
                          ScheduledExecutorService timer) {
        this.camel = camel;
        this.directory = directory;
        this.files = List.copyOf(files);
        this.intervalMillis = intervalMillis;
        this.timer = timer;
    }

    @Override
    protected void doStart() throws Exception {
        seen = contents();
        loaded.putAll(seen);
        timer.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.info("Watching {} in {} for route changes every {} ms", files, directory.toAbsolutePath(), intervalMillis);
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
            Map<Path, String> now = contents();
            List<Path> changed = new ArrayList<>();
            for (Map.Entry<Path, String> file : now.entrySet()) {
                if (!file.getValue().equals(seen.get(file.getKey()))) {
                    changed.add(file.getKey());
                }
            }
            if (changed.isEmpty()) {
                return;
            }
            seen = now; // a broken edit is tried once, not every interval
            LOG.info("Route files changed: {}; reloading them", changed);
            try {
                var routeIds = PluginHelper.getRoutesLoader(camel).updateRoutes(resources(changed, now));
                changed.forEach(file -> loaded.put(file, now.get(file)));
                reloads.incrementAndGet();
                LOG.info("Reloaded routes {}", routeIds);
            } catch (Exception e) {
                // A file that parses but does not start must not take the service down: put the running version back.
                LOG.error("Could not load the changed routes {}: {}; putting the previous version back", changed,
                        e.toString());
                restore(changed);
            }
        } catch (Exception e) {
            LOG.error("Could not check the route files in {}: {}", directory, e.toString());
        }
    }

    private void restore(List<Path> files) {
        List<Path> known = files.stream().filter(loaded::containsKey).toList();
        try {
            PluginHelper.getRoutesLoader(camel).updateRoutes(resources(known, loaded));
            LOG.info("The previous version of {} runs again", known);
        } catch (Exception e) {
            LOG.error("Could not put the previous routes {} back: {}", known, e.toString());
        }
    }

    private List<Resource> resources(List<Path> changed, Map<Path, String> content) {
        List<Resource> out = new ArrayList<>();
        for (Path file : changed) {
            out.add(ResourceHelper.fromString("file:" + file, content.get(file)));
        }
        return out;
    }

    /** The text of each watched file, read through symlinks (a ConfigMap volume's ..data); missing ones left out. */
    private Map<Path, String> contents() throws IOException {
        Map<Path, String> out = new HashMap<>();
        for (String name : files) {
            Path file = directory.resolve(name);
            if (Files.isRegularFile(file)) {
                out.put(file, Files.readString(file));
            }
        }
        return out;
    }
}
