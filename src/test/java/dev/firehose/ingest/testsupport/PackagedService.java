package dev.firehose.ingest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/nats-firehose-ingest.jar} + {@code target/lib/*}) as a child JVM, as
 * {@code run.sh} starts it: working directory = the project (the routes are read from {@code routes/}), settings
 * from the environment, output (stdout and stderr) appended to a log file. Defaults: {@code -Xmx256m},
 * {@code LOG_FORMAT=console}, the health port on 127.0.0.1 and a free port. Needs {@code mvn package} first:
 * use it from {@code *IT} tests (failsafe runs them after packaging) or from tools.
 */
public final class PackagedService implements AutoCloseable {

    public static final String MAIN = "dev.firehose.ingest.Application";
    public static final String CLASSPATH = "target/nats-firehose-ingest.jar:target/lib/*";

    private final Path projectDir;
    private final Path logFile;
    private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m"));
    private final Map<String, String> env = new LinkedHashMap<>();
    private String mainClass = MAIN;
    private String classpath = CLASSPATH;
    private boolean launcher;
    private Process process;

    public PackagedService(Path projectDir, Path logFile) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.logFile = logFile;
        env.put("LOG_FORMAT", "console");
        env.put("HEALTH_CHECK_HOST", "127.0.0.1");
        env.put("HEALTH_CHECK_PORT", Integer.toString(FreePorts.next()));
        // Synthetic corpora repeat an author's text (real records, a small pool of authors): the runs are checked
        // against the length rule only (ExpectedPosts.acceptedByDefaultFilter), so the duplicate rule is off.
        env.put("FILTER_DUPLICATE_WINDOW", "0");
    }

    /** The project directory of the running build (tests run with it as the working directory). */
    public static Path currentProject() {
        return Path.of("").toAbsolutePath();
    }

    /** Replaces the JVM options (default {@code -Xmx256m}). */
    public PackagedService jvmOptions(List<String> options) {
        jvmOptions.clear();
        jvmOptions.addAll(options);
        return this;
    }

    public PackagedService env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public PackagedService env(Map<String, String> values) {
        env.putAll(values);
        return this;
    }

    public PackagedService mainClass(String name) {
        this.mainClass = name;
        return this;
    }

    public PackagedService classpath(String value) {
        this.classpath = value;
        return this;
    }

    /**
     * Starts through {@code bin/nats-firehose-ingest} (APP_HOME = target), as a user does, with its JVM defaults; the
     * JVM options given here go in {@code JAVA_OPTS}, after the defaults, so they still win.
     */
    public PackagedService throughLauncher() {
        this.launcher = true;
        return this;
    }

    public List<String> command() {
        if (launcher) {
            return List.of(projectDir.resolve("bin/nats-firehose-ingest").toString());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        jvmOptions.stream().filter(o -> !o.isBlank()).forEach(command::add);
        command.addAll(List.of("-cp", classpath, mainClass));
        return command;
    }

    /** Starts a new process (a restart after {@link #kill} or {@link #terminate} appends to the same log). */
    public PackagedService start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running: pid " + process.pid());
        }
        if (CLASSPATH.equals(classpath) && !Files.exists(projectDir.resolve("target/nats-firehose-ingest.jar"))) {
            throw new IllegalStateException("target/nats-firehose-ingest.jar missing: run mvn package first");
        }
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command())
                    .directory(projectDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(env);
            if (launcher) {
                builder.environment().put("APP_HOME", projectDir.resolve("target").toString());
                builder.environment().put("JAVA_OPTS", String.join(" ", jvmOptions));
            }
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The port of /health, /ready and /metrics (127.0.0.1). */
    public int httpPort() {
        return Integer.parseInt(env.get("HEALTH_CHECK_PORT"));
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL (a crash: no shutdown hook, no last cursor save), and wait until the process is gone. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        await(Duration.ofSeconds(15));
    }

    /**
     * SIGTERM, as an orchestrator stops a pod, and wait up to {@code timeout}: returns the exit code, or throws
     * (after a SIGKILL) if the process did not exit in time.
     */
    public int terminate(Duration timeout) {
        process.destroy();
        if (!await(timeout)) {
            kill();
            throw new IllegalStateException("the service did not exit within " + timeout.toMillis()
                    + " ms of SIGTERM; log tail:\n" + logTail(40));
        }
        return process.exitValue();
    }

    private boolean await(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path logFile() {
        return logFile;
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (isAlive()) {
            kill();
        }
    }
}
