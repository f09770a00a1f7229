package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.PackagedService;
import dev.firehose.ingest.testsupport.TestRelay;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service as a child process (as it runs in a pod), against a real nats-server and relay:
 * <ul>
 * <li>killed with SIGKILL right after start-up and when the stored cursor passes 20%, 50% and 80% of a replay,
 * restarted each time: every restart asks the relay for exactly the cursor stored at the kill, frames after it are
 * replayed, the posts they re-publish are dropped by the stream's duplicate window, and the end is exact;</li>
 * <li>stopped with SIGTERM mid-stream with a batch open: it exits within 10 s, its last cursor covers exactly the
 * posts in the stream, and a restart completes exactly.</li>
 * </ul>
 */
class CrashRecoveryIT {

    private static final String STREAM = "crash-posts";
    private static final String SUBJECT = "crash.posts";
    private static final String BUCKET = "crash-state";
    private static final String SERVICE_NAME = "crash-ingest";
    private static final int FRAMES = 3_000;
    private static final long FIRST_SEQ = 7_000_000;
    private static final int RATE = 500;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private Path dir;
    private NatsServerProcess nats;
    private TestRelay relay;
    private Corpus corpus;
    private Connection client;
    private PackagedService service;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("crash-it");
        nats = NatsServerProcess.start(dir.resolve("nats"));
        corpus = FrameCorpus.synthetic(FRAMES, FIRST_SEQ, 23);
        relay = TestRelay.start(corpus.frames());
        relay.setRate(RATE); // ~6 s of replay per pass: kills land where the test means them to
        client = Nats.connect(nats.url());
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (client != null) {
            client.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    private PackagedService service(Map<String, String> extra) {
        return new PackagedService(PackagedService.currentProject(), dir.resolve("service.log"))
                .jvmOptions(List.of("-Xmx128m"))
                .env(Map.of(
                        "FIREHOSE_URL", relay.url(),
                        "NATS_URL", nats.url(),
                        "NATS_STREAM", STREAM,
                        "NATS_SUBJECT", SUBJECT,
                        "NATS_KV_BUCKET", BUCKET,
                        "SERVICE_NAME", SERVICE_NAME,
                        "CURSOR_SAVE_INTERVAL", "100",
                        "BATCH_SIZE", "50",
                        "BATCH_TIMEOUT_MS", "300"))
                .env(extra);
    }

    @Test
    void killedFourTimesTheServiceStillEndsExact() throws Exception {
        service = service(Map.of());
        List<String> report = new ArrayList<>();
        List<Long> storedAtKill = new ArrayList<>();
        long span = corpus.lastSeq() - FIRST_SEQ + 1;
        List<LongPredicate> killWhen = List.of(
                cursor -> relay.connectionCount() > 0,            // right after start-up: connected, barely read
                cursor -> cursor >= FIRST_SEQ + span * 20 / 100,
                cursor -> cursor >= FIRST_SEQ + span * 50 / 100,
                cursor -> cursor >= FIRST_SEQ + span * 80 / 100);

        for (LongPredicate when : killWhen) {
            int connectionsBefore = relay.connectionCount();
            long launched = System.nanoTime();
            service.start();
            awaitUntil(() -> relay.connectionCount() > connectionsBefore, "the service connects to the relay");
            awaitUntil(() -> when.test(storedCursor()), "the kill point");
            service.kill();
            Thread.sleep(300); // a cursor write already in nats-server's socket is still applied: let it land
            long stored = storedCursor();
            storedAtKill.add(stored);
            report.add(String.format("killed after %.1f s at stored cursor %s", (System.nanoTime() - launched) / 1e9,
                    stored < 0 ? "(none)" : Long.toString(stored - FIRST_SEQ)));
        }

        service.start();
        awaitUntil(() -> storedCursor() == corpus.lastSeq(), "the cursor reaches the last frame");
        int exit = service.terminate(Duration.ofSeconds(10));
        System.out.printf("crash recovery: %s; then ran to the end and exited %d on SIGTERM; relay cursors %s%n",
                report, exit, relay.requestedCursors());

        // Each instance asked for exactly what the killed one had stored (none stored yet: no cursor).
        List<String> expectedCursors = new ArrayList<>();
        expectedCursors.add(null);
        for (long stored : storedAtKill) {
            expectedCursors.add(stored < 0 ? null : Long.toString(stored));
        }
        assertThat(relay.requestedCursors()).containsExactlyElementsOf(expectedCursors);
        assertThat(storedAtKill).isSorted();
        assertThat(storedAtKill.get(3)).isGreaterThanOrEqualTo(FIRST_SEQ + span * 80 / 100);
        assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());
        assertStreamHoldsExactly(expected(corpus.posts()));
        assertThat(service.log()).doesNotContain("OutOfMemoryError").doesNotContain("changed by another writer");
    }

    @Test
    void sigtermMidStreamWithAnOpenBatchExitsPromptlyWithAnExactCursor() throws Exception {
        // Batches complete on size only (100 posts = ~1,000 frames): at any moment one is open.
        service = service(Map.of("BATCH_SIZE", "100", "BATCH_TIMEOUT_MS", "60000"));
        service.start();
        awaitUntil(() -> relay.framesSent() >= FRAMES * 45L / 100, "the relay has sent 45% of the frames");
        long signalled = System.nanoTime();
        int exit = service.terminate(Duration.ofSeconds(10));
        double exitSeconds = (System.nanoTime() - signalled) / 1e9;
        long stored = storedCursor();
        List<ExpectedPost> upToCursor = expected(corpus.posts()).stream().filter(p -> p.seq() <= stored).toList();
        System.out.printf("sigterm: exited %d %.2f s after SIGTERM with the relay at %d frames sent; stored cursor"
                        + " %d; %d posts of frames <= cursor%n", exit, exitSeconds, relay.framesSent(),
                stored - FIRST_SEQ, upToCursor.size());

        assertThat(stored).as("the open batch was published and the cursor saved on stop")
                .isGreaterThan(FIRST_SEQ + FRAMES * 40L / 100);
        assertThat(service.log()).contains("Stored cursor " + stored + " on shutdown");
        assertStreamHoldsExactly(upToCursor);

        relay.setRate(0);
        service.env("BATCH_TIMEOUT_MS", "300").start(); // the last batch is not full: let its timeout end it
        awaitUntil(() -> storedCursor() == corpus.lastSeq(), "the restarted service reaches the last frame");
        service.terminate(Duration.ofSeconds(10));
        assertThat(relay.requestedCursors()).containsExactly(null, Long.toString(stored));
        assertStreamHoldsExactly(expected(corpus.posts()));
        assertThat(service.log()).doesNotContain("OutOfMemoryError").doesNotContain("changed by another writer");
    }

    private static List<ExpectedPost> expected(List<ExpectedPost> created) {
        return ExpectedPosts.acceptedByDefaultFilter(created);
    }

    private long storedCursor() {
        try {
            if (!client.keyValueManagement().getBucketNames().contains(BUCKET)) {
                return -1;
            }
            KeyValueEntry entry = client.keyValue(BUCKET).get(SERVICE_NAME);
            return entry == null ? -1 : Long.parseLong(new String(entry.getValue(), StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!service.isAlive()) {
                throw new AssertionError("the service exited before " + what + "; log tail:\n" + service.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; log tail:\n" + service.logTail(40));
            }
            Thread.sleep(20);
        }
    }

    /** Exactly these posts, each once, with the service's Nats-Msg-Id, fields and subject. */
    private void assertStreamHoldsExactly(List<ExpectedPost> expected) throws Exception {
        JetStreamManagement jsm = client.jetStreamManagement();
        long count = jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
        Map<String, JsonNode> byUri = new HashMap<>();
        for (long seq = 1; seq <= count; seq++) {
            MessageInfo message = jsm.getMessage(STREAM, seq);
            JsonNode post = json.readTree(message.getData());
            String uri = post.get("uri").asText();
            assertThat(byUri.put(uri, post)).as("post %s stored twice", uri).isNull();
            assertThat(message.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(uri);
            assertThat(message.getSubject()).startsWith(SUBJECT + ".");
        }
        assertThat(byUri.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(ExpectedPost::uri).toList());
        for (ExpectedPost want : expected) {
            JsonNode got = byUri.get(want.uri());
            assertThat(got.get("cid").asText()).isEqualTo(want.cid());
            assertThat(got.get("text").asText()).isEqualTo(want.text());
            assertThat(got.get("seq").asLong()).isEqualTo(want.seq());
        }
    }
}
