package dev.firehose.ingest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code nats-server} child process on 127.0.0.1, a free port and a given store dir:
 * {@code nats-server -a 127.0.0.1 -p PORT -js -sd STORE_DIR}. Its output goes to
 * {@code STORE_DIR/nats-server.log}. The binary is {@code nats-server} on the PATH, or {@code NATS_SERVER_BIN}.
 */
public final class NatsServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 15_000;
    private static final long STOP_TIMEOUT_MS = 15_000;

    private final Path storeDir;
    private final int port;
    private final boolean jetStream;
    private final List<String> extraArgs;
    private final Path logFile;
    private Process process;
    /** Log length when the current process was launched: readiness is looked for after it. */
    private int logOffsetAtLaunch;

    private NatsServerProcess(Path storeDir, int port, boolean jetStream, List<String> extraArgs) {
        this.storeDir = storeDir;
        this.port = port;
        this.jetStream = jetStream;
        this.extraArgs = extraArgs;
        this.logFile = storeDir.resolve("nats-server.log");
    }

    public static NatsServerProcess start(Path storeDir) {
        return startOnFreePort(storeDir, true, List.of());
    }

    /** With extra nats-server arguments, e.g. {@code --user u --pass p}. */
    public static NatsServerProcess start(Path storeDir, String... extraArgs) {
        return startOnFreePort(storeDir, true, List.of(extraArgs));
    }

    /** No {@code -js}: for testing that the app fails fast without JetStream. */
    public static NatsServerProcess startWithoutJetStream(Path storeDir) {
        return startOnFreePort(storeDir, false, List.of());
    }

    private static NatsServerProcess startOnFreePort(Path storeDir, boolean jetStream, List<String> extraArgs) {
        try {
            Files.createDirectories(storeDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // the free port may be taken between probe and bind
            NatsServerProcess server = new NatsServerProcess(storeDir, FreePorts.next(), jetStream, extraArgs);
            try {
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                server.kill();
                last = e;
            }
        }
        throw last;
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(binary(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
        if (jetStream) {
            command.addAll(List.of("-js", "-sd", storeDir.toString()));
        }
        command.addAll(extraArgs);
        logOffsetAtLaunch = log().length();
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        }
        awaitReady();
    }

    /** Ready = the log says so (JetStream is up by then) and the port accepts a TCP connection. */
    private void awaitReady() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited with " + process.exitValue() + ": " + logTail());
            }
            if (readyInLog() && accepts()) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("nats-server not ready on port " + port + " after "
                + START_TIMEOUT_MS + " ms: " + logTail());
    }

    private boolean readyInLog() {
        return log().indexOf("Server is ready", logOffsetAtLaunch) >= 0;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path storeDir() {
        return storeDir;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Graceful: SIGTERM, then wait for it to exit (SIGKILL only if it hangs). */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: a crash, no chance to flush. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stop (if running) and start again on the same port with the same store dir. */
    public void restart() {
        stop();
        launch();
    }

    /**
     * SIGSTOP: the server stays up but answers nothing, like a hung broker. Returns once the process is seen
     * stopped (state {@code T} in {@code /proc/PID/stat}), as a signal is delivered asynchronously.
     */
    public void pause() {
        signal("STOP");
        awaitState(true);
    }

    /** SIGCONT after {@link #pause()}; returns once the process runs again. */
    public void resume() {
        signal("CONT");
        awaitState(false);
    }

    private void awaitState(boolean stopped) {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        if (!Files.exists(stat)) {
            return; // not Linux: the signal has to do
        }
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                String text = Files.readString(stat);
                char state = text.charAt(text.lastIndexOf(')') + 2);
                if ((state == 'T' || state == 't') == stopped) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                return;
            }
            sleep(5);
        }
        throw new IllegalStateException("nats-server " + process.pid() + " not " + (stopped ? "stopped" : "running")
                + " 5 s after the signal");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String logTail() {
        String log = log();
        return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
    }

    @Override
    public void close() {
        kill();
    }

    private static String binary() {
        String override = System.getenv("NATS_SERVER_BIN");
        return override != null && !override.isBlank() ? override : "nats-server";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
