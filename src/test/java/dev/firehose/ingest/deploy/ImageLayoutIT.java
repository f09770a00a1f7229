package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.FreePorts;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.TestRelay;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The container image without a container engine: the Dockerfile's runtime stage is read, its COPY lines are
 * laid out into a temporary root exactly as the builder would (build-stage paths under the build WORKDIR map to
 * this checkout's {@code target/}, context paths to the checkout), and the service is started from the image's
 * WORKDIR with the image's ENTRYPOINT + CMD and ENV, as the image's USER (setpriv, no-new-privs), against a local
 * nats-server and a local relay on 127.0.0.1. Green only if {@code GET /ready} answers 200 and the KV cursor
 * reaches the relay's last seq; the HEALTHCHECK command, /metrics and a SIGTERM stop are checked on the way.
 *
 * <p>Differences from a real container, all mechanical: the JVM is this machine's (the launcher runs the
 * {@code java} on the PATH); the ENTRYPOINT and arguments that are absolute paths inside the image ({@code /app/...})
 * map to the laid-out root; the image's private {@code /tmp} maps to {@code ROOT/tmp} through
 * {@code -Djava.io.tmpdir} in JAVA_OPTS; no class-data archive (the image's RUN step that makes it is not replayed);
 * the network is the host's loopback.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ImageLayoutIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final Duration CURSOR_WITHIN = Duration.ofSeconds(60);
    /** Labelled counters that are created on their first event: absent from /metrics until something fails. */
    private static final Set<String> CREATED_ON_FIRST_EVENT = Set.of("firehose_malformed_frames_total",
            "firehose_relay_errors_total", "firehose_posts_filtered_total", "firehose_bad_records_total",
            "firehose_relay_info_total");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private Path root;
    private Process service;
    private Path serviceLog;

    @AfterEach
    void tearDown() throws Exception {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
        if (root != null) {
            deleteTree(root);
        }
    }

    @Test
    void imageLayoutStartsAsTheImageUserAndIngestsToTheLastFrame() throws Exception {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "runs the service as the image's non-root user through setpriv, which needs root");
        Dockerfile dockerfile = Dockerfile.read(PROJECT.resolve("Dockerfile"));
        Dockerfile.Stage image = dockerfile.runtime();
        long uid = image.uid();
        long gid = image.gid();
        assertThat(uid).as("image USER").isPositive();

        // ---- the image's file system ----
        root = Files.createTempDirectory("image-root-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        mkdirs(inRoot(image.workdir));
        for (Dockerfile.Copy copy : image.copies) {
            for (String source : copy.sources()) {
                Path local = copy.from() == null ? contextPath(source)
                        : buildStagePath(dockerfile.stage(copy.from()), source);
                assertThat(local).as("COPY source " + source + " (run `mvn package` first)").exists();
                boolean destIsDir = copy.destination().endsWith("/") || copy.sources().size() > 1;
                layOut(local, inRoot(copy.destination()), destIsDir);
            }
        }
        Path tmp = mkdirs(root.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path workdir = inRoot(image.workdir);
        assertThat(workdir.resolve("routes")).as("routes where the service reads them (cwd/routes)").isDirectory();

        // ---- what it talks to, on loopback ----
        NatsServerProcess nats = NatsServerProcess.start(Files.createTempDirectory("image-it-nats"));
        cleanup.add(nats);
        Corpus corpus = FrameCorpus.synthetic(200, 1, 1);
        TestRelay relay = TestRelay.start(corpus.frames());
        cleanup.add(relay);
        int port = FreePorts.next();
        String bucket = "image-it-state";
        String serviceName = "image-it";

        // ---- the image's ENV, then this run's settings ----
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", "/nonexistent");
        env.putAll(image.env);
        env.merge("JAVA_OPTS", "-Djava.io.tmpdir=" + tmp, (a, b) -> a + " " + b);
        env.put("NATS_URL", nats.url());
        env.put("FIREHOSE_URL", relay.url());
        env.put("HEALTH_CHECK_HOST", "127.0.0.1");
        env.put("HEALTH_CHECK_PORT", Integer.toString(port));
        env.put("NATS_KV_BUCKET", bucket);
        env.put("SERVICE_NAME", serviceName);
        env.put("NATS_STREAM", "image-it-posts");
        env.put("NATS_SUBJECT", "image.it.posts");

        // ---- ENTRYPOINT + CMD, as the image's user ----
        List<String> command = new ArrayList<>(asUser(uid, gid));
        command.addAll(mapToLayout(image.command()));
        serviceLog = Files.createDirectories(PROJECT.resolve("target/image-layout-it")).resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile())
                .redirectErrorStream(true).redirectOutput(serviceLog.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        service = builder.start();

        Path procStatus = Path.of("/proc", Long.toString(service.pid()), "status");
        await("setpriv and the launcher have exec'd java", Duration.ofSeconds(10),
                () -> readQuietly(procStatus).startsWith("Name:\tjava"));
        String status = Files.readString(procStatus);
        assertThat(status).startsWith("Name:\tjava");
        assertThat(status).as("the service process runs as the image's user, no groups, no new privileges")
                .containsPattern("(?m)^Uid:\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s*$")
                .containsPattern("(?m)^Gid:\\s+" + gid + "\\s+" + gid + "\\s+" + gid + "\\s+" + gid + "\\s*$")
                .containsPattern("(?m)^Groups:\\s*$")
                .containsPattern("(?m)^NoNewPrivs:\\s+1\\s*$");

        String base = "http://127.0.0.1:" + port;
        await("GET /ready -> 200", READY_WITHIN, () -> get(base + "/ready").statusCode() == 200);

        try (Connection client = Nats.connect(nats.url())) {
            await("KV " + bucket + "/" + serviceName + " = " + corpus.lastSeq(), CURSOR_WITHIN,
                    () -> storedCursor(client, bucket, serviceName) == corpus.lastSeq());
        }
        assertThat(get(base + "/health").statusCode()).isEqualTo(200);

        // the image's HEALTHCHECK, run as the container runtime would (same user, same environment)
        List<String> healthcheck = new ArrayList<>(asUser(uid, gid));
        healthcheck.addAll(image.healthcheck);
        ProcessBuilder checkBuilder = new ProcessBuilder(healthcheck).directory(workdir.toFile())
                .redirectErrorStream(true);
        checkBuilder.environment().clear();
        checkBuilder.environment().putAll(env);
        Process healthProcess = checkBuilder.start();
        assertThat(healthProcess.waitFor(10, TimeUnit.SECONDS)).as("HEALTHCHECK finishes").isTrue();
        assertThat(healthProcess.exitValue()).as("HEALTHCHECK exit status: "
                + new String(healthProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        // every metric the dashboard (and ManifestTest's hard-coded Camel/JVM set) names is really scraped
        Set<String> scraped = scrapedNames(get(base + "/metrics").body());
        assertThat(scraped).as("Camel and JVM names ManifestTest takes on trust").containsAll(Metrics.CAMEL_AND_JVM);
        Set<String> missing = new TreeSet<>(Metrics.dashboardMetrics(Manifests.DASHBOARD));
        missing.removeAll(scraped);
        missing.removeAll(CREATED_ON_FIRST_EVENT);
        assertThat(missing).as("dashboard metrics absent from /metrics").isEmpty();

        String cmdline = Files.readString(Path.of("/proc", Long.toString(service.pid()), "cmdline")).replace('\0', ' ');
        assertThat(cmdline).as("the JVM runs with the launcher's settings").contains(Launcher.defaults());

        // SIGTERM reaches the JVM (exec-form ENTRYPOINT): it stops by itself, storing the cursor on the way
        service.destroy();
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
        // the service wrote nothing into the image's files (read-only root file system in Kubernetes)
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(p -> !p.startsWith(tmp))
                    .filter(p -> owner(p) != 0).toList()).as("files not owned by root outside /tmp").isEmpty();
        }
    }

    // ---- layout ----

    private Path inRoot(String imagePath) {
        return root.resolve(imagePath.replaceFirst("^/+", ""));
    }

    private static Path contextPath(String source) {
        return PROJECT.resolve(source);
    }

    /** A path in the build stage: under its WORKDIR, which is this checkout (pom.xml, src, target/). */
    private static Path buildStagePath(Dockerfile.Stage build, String source) {
        String prefix = build.workdir.endsWith("/") ? build.workdir : build.workdir + "/";
        assertThat(source).as("COPY --from=" + build.name + " source under its WORKDIR").startsWith(prefix);
        return PROJECT.resolve(source.substring(prefix.length()));
    }

    /** COPY: a directory's contents go into the destination; a file goes to dest/ or becomes dest. */
    private static void layOut(Path source, Path destination, boolean destinationIsDirectory) throws IOException {
        if (Files.isDirectory(source)) {
            mkdirs(destination);
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Path target = destination.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        mkdirs(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Path target = destinationIsDirectory ? destination.resolve(source.getFileName().toString()) : destination;
            mkdirs(target.getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path mkdirs(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** The launcher and absolute paths that exist in the laid-out image -> under the root (java is this machine's). */
    private List<String> mapToLayout(List<String> imageCommand) {
        assertThat(imageCommand).as("ENTRYPOINT + CMD").isNotEmpty();
        List<String> out = new ArrayList<>();
        for (String arg : imageCommand) {
            if (arg.startsWith("/") && Files.exists(inRoot(arg), LinkOption.NOFOLLOW_LINKS)) {
                out.add(inRoot(arg).toString());
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    private static List<String> asUser(long uid, long gid) {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--no-new-privs", "--");
    }

    // ---- probes ----

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void await(String what, Duration within, BooleanSupplier condition) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                fail("the service exited with " + service.exitValue() + " before: " + what + "\n" + logTail());
            }
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet (connection refused, bucket not there yet)
            }
            sleep(250);
        }
        fail("not within " + within.toSeconds() + " s: " + what + "\n" + logTail());
    }

    private static long storedCursor(Connection client, String bucket, String key) {
        try {
            if (!client.keyValueManagement().getBucketNames().contains(bucket)) {
                return -1;
            }
            KeyValueEntry entry = client.keyValue(bucket).get(key);
            return entry == null ? -1 : Long.parseLong(new String(entry.getValue(), StandardCharsets.US_ASCII));
        } catch (IOException | io.nats.client.JetStreamApiException e) {
            return -1;
        }
    }

    /** Sample names of a Prometheus text exposition. */
    static Set<String> scrapedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    private String logTail() throws IOException {
        String log = serviceLog == null || !Files.exists(serviceLog) ? "" : Files.readString(serviceLog);
        return "---- service log (" + serviceLog + ") ----\n"
                + (log.length() > 6000 ? log.substring(log.length() - 6000) : log);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static int owner(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
