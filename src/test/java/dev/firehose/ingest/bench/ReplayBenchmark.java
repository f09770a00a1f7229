package dev.firehose.ingest.bench;

// Usage: bench/replay.sh [FRAMES] [--source relay|jetstream] [--plain] [--rate FRAMES_PER_S] [--timeout SECONDS]
//   or, after `mvn package` + test-compile, from the project root:
//   java -cp target/test-classes:$(cat target/test-classpath.txt) dev.firehose.ingest.bench.ReplayBenchmark \
//       --frames-file bench/out/frames-200000.bin [--rate 1500] [--timeout 900] \
//       [--app-main dev.firehose.ingest.Application] [--app-classpath 'target/nats-firehose-ingest.jar:target/lib/*']
//   or, for the Jetstream source (FIREHOSE_SOURCE=jetstream), an events file of JetstreamCorpus:
//       --source jetstream --events-file bench/out/jetstream-posts-200000-zstd.bin [--rate 40]
//   env JAVA_OPTS: JVM options of the application child, added after the launcher's defaults
//   (bin/nats-firehose-ingest, APP_HOME=target, as a user starts it); with --app-classpath (another build, e.g. an
//   older one to compare with) the child is a plain `java $JAVA_OPTS -cp CP MAIN`.
//
// Replays a frame file through a real websocket relay (BulkRelay: as lean as a production relay, so the service's
// CPU is measured beside a relay that costs little), or an events file the same way as a Jetstream server would send
// it (BulkRelay.jetstream; a file of zstd frames is read with JETSTREAM_COMPRESS=true), into the packaged application,
// run as a child process against a real nats-server, and reports throughput, CPU and peak RSS.
// Done when KV bucket firehose-state, key nats-firehose-ingest (nats-firehose-ingest.jetstream for Jetstream),
// holds the last frame's seq (the last event's time_us).
// Not a test: a measuring tool. Runs leave their logs in bench/out/run-<time>/.

import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.JetstreamReplay;
import dev.firehose.ingest.testsupport.JetstreamWireEvent;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.PackagedService;
import dev.firehose.ingest.testsupport.RelayFrame;
import dev.firehose.ingest.testsupport.BulkRelay;
import dev.firehose.ingest.testsupport.CamelRouteMetrics;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueEntry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public final class ReplayBenchmark {

    static final String STREAM = "bench-posts";
    static final String SUBJECT = "bench.posts";
    static final String KV_BUCKET = "firehose-state";
    static final String SERVICE_NAME = "nats-firehose-ingest";
    private static final long POLL_MS = 50;
    private static final long CONNECT_TIMEOUT_MS = 120_000;

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path projectDir = Path.of(opts.getOrDefault("project-dir", ".")).toAbsolutePath().normalize();
        boolean jetstream = "jetstream".equals(opts.getOrDefault("source", "relay"));
        Path framesFile = Path.of(require(opts, jetstream ? "events-file" : "frames-file"));
        int rate = Integer.parseInt(opts.getOrDefault("rate", "0"));
        String appMain = opts.getOrDefault("app-main", "dev.firehose.ingest.Application");
        String appClasspath = opts.getOrDefault("app-classpath", "target/nats-firehose-ingest.jar:target/lib/*");
        // The launcher's JVM defaults (bin/nats-firehose-ingest), as users run it; JAVA_OPTS are added after them.
        String javaOpts = System.getenv().getOrDefault("JAVA_OPTS", "");

        if (!Files.exists(projectDir.resolve("target/nats-firehose-ingest.jar")) && opts.get("app-classpath") == null) {
            System.err.println("target/nats-firehose-ingest.jar missing: run mvn -DskipTests package first");
            System.exit(2);
        }
        System.out.printf("loading %s ...%n", framesFile);
        int limit = opts.containsKey("limit") ? Integer.parseInt(opts.get("limit")) : Integer.MAX_VALUE;
        Source source = jetstream ? Source.jetstream(framesFile, limit) : Source.relay(framesFile, limit);
        long warmupSeconds = Long.parseLong(opts.getOrDefault("warmup", rate > 0 ? "60" : "0"));
        long lastSeq = source.lastPosition;
        int expectedPosts = source.expectedPosts;
        long timeoutS = Long.parseLong(opts.getOrDefault("timeout",
                Long.toString(rate > 0 ? source.frames / rate + 300 : 900)));

        Path runDir = projectDir.resolve("bench/out/run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);
        Path appLog = runDir.resolve("app.log");

        Result result = new Result();
        result.source = jetstream ? "jetstream" + (source.compressed ? " (compress=true)" : " (plain)") : "relay";
        result.frames = source.frames;
        result.firstSeq = source.firstPosition;
        result.lastSeq = lastSeq;
        result.expectedPosts = expectedPosts;
        result.rate = rate;

        try (NatsServerProcess nats = NatsServerProcess.start(runDir.resolve("nats"));
             BulkRelay relay = source.start(rate)) { // frames held until release(): startup measured apart
            PackagedService service = new PackagedService(projectDir, appLog)
                    .jvmOptions(Arrays.asList(javaOpts.trim().split("\\s+")))
                    .mainClass(appMain)
                    .classpath(appClasspath)
                    .env(Map.of(
                            "FIREHOSE_SOURCE", jetstream ? "jetstream" : "relay",
                            jetstream ? "JETSTREAM_URL" : "FIREHOSE_URL", relay.url(),
                            "JETSTREAM_COMPRESS", Boolean.toString(source.compressed),
                            "NATS_URL", nats.url(),
                            "NATS_STREAM", STREAM,
                            "NATS_SUBJECT", SUBJECT,
                            "NATS_KV_BUCKET", KV_BUCKET,
                            "SERVICE_NAME", SERVICE_NAME,
                            "LOG_LEVEL", System.getenv().getOrDefault("LOG_LEVEL", "WARN"),
                            "CURSOR_SAVE_INTERVAL", "1000"))
                    .env("LOG_FORMAT", System.getenv().getOrDefault("LOG_FORMAT", "json")); // the default
            if (opts.get("app-classpath") == null) {
                service.throughLauncher();
            }
            System.out.printf("%s: %d frames (position %d..%d), %d posts the default filter accepts; source %s,"
                    + " nats %s%n", result.source, source.frames, result.firstSeq, lastSeq, expectedPosts, relay.url(),
                    nats.url());
            String shown = String.join(" ", service.command());
            System.out.printf("app: %s (log %s)%n",
                    shown.length() > 300 ? shown.substring(0, 300) + "..." : shown, appLog);

            long launched = System.nanoTime();
            System.out.printf("app launched at %s%n", java.time.LocalTime.now());
            Process app = service.start().process();
            try (Connection nc = Nats.connect(new Options.Builder().server(nats.url())
                    .connectionTimeout(Duration.ofSeconds(5)).build())) {
                awaitReady(service.httpPort(), app, appLog);
                result.startupSeconds = (System.nanoTime() - launched) / 1e9;
                result.cpuAtConnect = ProcStats.cpuSeconds(app.pid());
                awaitConnection(relay, app, appLog);
                result.relayCpuAtConnect = ProcStats.cpuSeconds(ProcessHandle.current().pid());
                result.natsCpuAtConnect = ProcStats.cpuSeconds(nats.pid());
                relay.release();

                WarmupMark warmup = new WarmupMark(relay, app.pid(), warmupSeconds);
                warmup.start();
                result.done = awaitCursor(nc, app, source.cursorKey, lastSeq, timeoutS, result);
                warmup.interrupt();
                result.warmupSeconds = warmupSeconds;
                result.cpuAtWarmup = warmup.cpu;
                result.framesAtWarmup = warmup.frames;
                long end = System.nanoTime();
                result.cpuAtDone = ProcStats.cpuSeconds(app.pid());
                result.relayCpuAtDone = ProcStats.cpuSeconds(ProcessHandle.current().pid());
                result.natsCpuAtDone = ProcStats.cpuSeconds(nats.pid());
                result.peakRssKib = ProcStats.peakRssKib(app.pid());
                long first = relay.firstFrameSentNanos();
                result.elapsedSeconds = first == 0 ? 0 : (end - first) / 1e9;
                result.sendSpanSeconds = first == 0 ? 0 : (relay.lastFrameSentNanos() - first) / 1e9;
                result.framesSent = relay.framesSent();
                result.connections = relay.connectionCount();
                result.streamMessages = streamMessages(nc);
                result.relayExchanges = routeExchanges(service.httpPort(), source.routeId);
            } finally {
                stop(app);
            }
        }
        String report = result.report();
        System.out.print(report);
        Files.writeString(runDir.resolve("results.txt"), report, StandardCharsets.UTF_8);
        System.exit(result.ok() ? 0 : 1);
    }

    /** Wait for /ready to answer 200 (NATS connected, stream and bucket ready, relay connected). */
    private static void awaitReady(int port, Process app, Path appLog) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.currentTimeMillis() + CONNECT_TIMEOUT_MS;
        while (true) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the HTTP server is not up yet
            }
            if (!app.isAlive()) {
                throw new IllegalStateException("the application exited with " + app.exitValue()
                        + " before it was ready; log tail:\n" + tail(appLog));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the application was not ready in " + CONNECT_TIMEOUT_MS / 1000
                        + " s; log tail:\n" + tail(appLog));
            }
            Thread.sleep(5);
        }
    }

    /** Wait for the app's websocket connection; fail early if the app dies. */
    private static void awaitConnection(BulkRelay relay, Process app, Path appLog) throws Exception {
        long deadline = System.currentTimeMillis() + CONNECT_TIMEOUT_MS;
        while (relay.connectionCount() == 0) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the application exited with " + app.exitValue()
                        + " before connecting; log tail:\n" + tail(appLog));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the application did not connect to the relay in "
                        + CONNECT_TIMEOUT_MS / 1000 + " s; log tail:\n" + tail(appLog));
            }
            Thread.sleep(10);
        }
    }

    /** Poll the cursor key (~50 ms) until it holds the last position; false on timeout or app exit. */
    private static boolean awaitCursor(Connection nc, Process app, String cursorKey, long lastSeq, long timeoutS,
                                       Result result)
            throws InterruptedException {
        String target = Long.toString(lastSeq);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        KeyValue kv = null;
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                result.failure = "the application exited with " + app.exitValue();
                return false;
            }
            try {
                if (kv == null) {
                    kv = nc.keyValue(KV_BUCKET);
                }
                KeyValueEntry entry = kv.get(cursorKey);
                if (entry != null) {
                    result.lastCursor = entry.getValueAsString();
                    if (target.equals(result.lastCursor)) {
                        return true;
                    }
                }
            } catch (Exception notYet) {
                kv = null; // bucket not created yet, or a transient error: try again
            }
            Thread.sleep(POLL_MS);
        }
        result.failure = "timed out after " + timeoutS + " s";
        return false;
    }

    private static long streamMessages(Connection nc) {
        try {
            return nc.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * How many exchanges the source's route ran (camel_exchanges_total): frames per exchange tells how well reads were
     * batched. -1 when /metrics did not answer.
     */
    private static long routeExchanges(int port, String routeId) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return CamelRouteMetrics.exchanges(response.body(), routeId);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
    }

    /** SIGTERM and wait, as an orchestrator would; SIGKILL if it hangs. */
    private static void stop(Process app) throws InterruptedException {
        app.destroy();
        if (!app.waitFor(30, TimeUnit.SECONDS)) {
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("Usage: ReplayBenchmark --frames-file PATH | --source jetstream --events-file PATH"
                        + " [--rate N] [--warmup S] [--limit N] [--timeout S] [--project-dir DIR] [--app-main CLASS]"
                        + " [--app-classpath CP]");
                System.exit(2);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            System.err.println("missing --" + name);
            System.exit(2);
        }
        return value;
    }

    /** Samples the app's CPU and the frames sent once the warm-up is over, for a steady-state figure. */
    private static final class WarmupMark extends Thread {
        private final BulkRelay relay;
        private final long pid;
        private final long seconds;
        volatile double cpu = -1;
        volatile long frames = -1;

        WarmupMark(BulkRelay relay, long pid, long seconds) {
            super("warmup-mark");
            setDaemon(true);
            this.relay = relay;
            this.pid = pid;
            this.seconds = seconds;
        }

        @Override
        public void run() {
            if (seconds <= 0) {
                return;
            }
            try {
                while (relay.firstFrameSentNanos() == 0) {
                    Thread.sleep(10);
                }
                long until = relay.firstFrameSentNanos() + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < until) {
                    Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                }
                frames = relay.framesSent();
                cpu = ProcStats.cpuSeconds(pid);
            } catch (InterruptedException e) {
                // the run ended first: no steady-state figure
            }
        }
    }

    /**
     * What is replayed: the frames of a relay, or the events of a Jetstream, where the app stores its cursor and which
     * route reads them.
     */
    private static final class Source {
        final int frames;
        final long firstPosition;
        final long lastPosition;
        final int expectedPosts;
        final boolean compressed;
        final String cursorKey;
        final String routeId;
        final java.util.function.IntFunction<BulkRelay> server;

        private Source(int frames, long firstPosition, long lastPosition, int expectedPosts, boolean compressed,
                       String cursorKey, String routeId, java.util.function.IntFunction<BulkRelay> server) {
            this.frames = frames;
            this.firstPosition = firstPosition;
            this.lastPosition = lastPosition;
            this.expectedPosts = expectedPosts;
            this.compressed = compressed;
            this.cursorKey = cursorKey;
            this.routeId = routeId;
            this.server = server;
        }

        static Source relay(Path framesFile, int limit) {
            List<RelayFrame> all = FrameCorpus.readFile(framesFile);
            List<RelayFrame> frames = all.subList(0, Math.min(all.size(), limit));
            if (frames.isEmpty()) {
                throw new IllegalArgumentException("no frames in " + framesFile);
            }
            return new Source(frames.size(), frames.get(0).seq(), frames.get(frames.size() - 1).seq(),
                    ExpectedPosts.acceptedByDefaultFilter(ExpectedPosts.fromFrames(frames)).size(), false,
                    SERVICE_NAME, "firehose-ingest", rate -> BulkRelay.start(frames, rate));
        }

        static Source jetstream(Path eventsFile, int limit) {
            JetstreamReplay replay = JetstreamReplay.read(eventsFile, limit);
            List<JetstreamWireEvent> events = replay.events();
            if (events.isEmpty()) {
                throw new IllegalArgumentException("no events in " + eventsFile);
            }
            return new Source(events.size(), events.get(0).timeUs(), replay.lastTimeUs(),
                    replay.postsAcceptedByDefaultFilter(), replay.compressed(), SERVICE_NAME + ".jetstream",
                    "jetstream-ingest", rate -> BulkRelay.jetstream(events, replay.compressed(), rate));
        }

        BulkRelay start(int rate) {
            return server.apply(rate);
        }
    }

    /** What one run measured. */
    static final class Result {
        String source;
        int frames;
        long firstSeq;
        long lastSeq;
        int expectedPosts;
        int rate;
        boolean done;
        String failure;
        String lastCursor;
        double startupSeconds;
        double elapsedSeconds;
        double sendSpanSeconds;
        double cpuAtConnect;
        double cpuAtDone;
        /** The benchmark's own JVM: the websocket relay (and this tool's polling). */
        double relayCpuAtConnect;
        double relayCpuAtDone;
        double natsCpuAtConnect;
        double natsCpuAtDone;
        long warmupSeconds;
        double cpuAtWarmup = -1;
        long framesAtWarmup = -1;
        long peakRssKib;
        long framesSent;
        int connections;
        long streamMessages;
        long relayExchanges;

        boolean ok() {
            return done && streamMessages == expectedPosts;
        }

        String report() {
            double replayCpu = cpuAtDone - cpuAtConnect;
            StringBuilder out = new StringBuilder();
            out.append(String.format("%n== replay benchmark ==%n"));
            out.append(String.format("source              %s%n", source));
            out.append(String.format("frames              %d (position %d..%d)%s%n", frames, firstSeq, lastSeq,
                    rate > 0 ? ", paced at " + rate + " frames/s" : ", as fast as the app reads"));
            out.append(String.format("result              %s%n", done ? "cursor reached " + lastSeq
                    : "NOT DONE: " + failure + " (last cursor " + lastCursor + ")"));
            out.append(String.format("posts expected      %d%n", expectedPosts));
            out.append(String.format("posts in stream     %d%s%n", streamMessages,
                    streamMessages == expectedPosts ? "" : "   MISMATCH"));
            out.append(String.format("elapsed             %.3f s (first frame sent -> cursor == last seq)%n", elapsedSeconds));
            out.append(String.format("last frame sent at  %.3f s (the rest is the app finishing + its cursor save interval)%n",
                    sendSpanSeconds));
            out.append(String.format("frames/s            %.0f%n", elapsedSeconds > 0 ? frames / elapsedSeconds : 0));
            out.append(String.format("posts/s             %.0f%n", elapsedSeconds > 0 ? streamMessages / elapsedSeconds : 0));
            out.append(String.format("app startup         %.2f s wall, %.2f CPU s to /ready answering 200%n",
                    startupSeconds, cpuAtConnect));
            out.append(String.format("app CPU (replay)    %.2f s = %.2f cores busy%n", replayCpu,
                    elapsedSeconds > 0 ? replayCpu / elapsedSeconds : 0));
            out.append(String.format("app CPU (total)     %.2f s%n", cpuAtDone));
            out.append(String.format("CPU s / M frames    %.1f (replay only)%n", replayCpu * 1_000_000 / frames));
            out.append(String.format("CPU ms / post       %.3f (replay only, per post published)%n",
                    streamMessages > 0 ? replayCpu * 1000 / streamMessages : 0));
            if (cpuAtWarmup >= 0 && framesSent > framesAtWarmup) {
                double warm = cpuAtWarmup - cpuAtConnect;
                double steady = cpuAtDone - cpuAtWarmup;
                out.append(String.format("warm-up (%d s)      %.1f CPU s / M frames (%.2f CPU s over %d frames)%n",
                        warmupSeconds, warm * 1_000_000 / framesAtWarmup, warm, framesAtWarmup));
                out.append(String.format("steady state        %.1f CPU s / M frames (%.2f CPU s over %d frames after"
                                + " the warm-up)%n", steady * 1_000_000 / (framesSent - framesAtWarmup), steady,
                        framesSent - framesAtWarmup));
            }
            out.append(String.format("relay CPU (replay)  %.2f s (the benchmark JVM: relay + polling)%n",
                    relayCpuAtDone - relayCpuAtConnect));
            out.append(String.format("nats CPU (replay)   %.2f s%n", natsCpuAtDone - natsCpuAtConnect));
            out.append(String.format("peak RSS            %.1f MiB (VmHWM)%n", peakRssKib / 1024.0));
            out.append(String.format("relay               %d frames sent over %d connection(s)%n", framesSent, connections));
            if (relayExchanges > 0) {
                out.append(String.format("source route        %d exchanges, %.1f frames each%n", relayExchanges,
                        (double) frames / relayExchanges));
            }
            return out.toString();
        }
    }
}
