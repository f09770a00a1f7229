package dev.firehose.ingest.nats;

import dev.firehose.ingest.config.NatsAuth;
import dev.firehose.ingest.delivery.CursorConflictException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import dev.firehose.ingest.testsupport.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cursor's compare-and-set against a real nats-server: a write that timed out but was applied later is ours,
 * not a second writer's; a write by someone else is still reported; a deleted or purged key is written again
 * (issue 13 item 5; rule D6 of docs/invariants.md).
 */
class KvCursorStoreFaultTest {

    private static final String BUCKET = "kv-faults";
    private static final String KEY = "svc";

    private NatsServerProcess server;
    private Connection service;
    private Connection other;

    @BeforeEach
    void start() throws Exception {
        server = NatsServerProcess.start(Files.createTempDirectory("kv-faults"));
        service = NatsConnector.connect(server.url(), "kv-faults", NatsAuth.none());
        service.keyValueManagement().create(KeyValueConfiguration.builder()
                .name(BUCKET).storageType(StorageType.File).maxHistoryPerKey(1).build());
        other = Nats.connect(server.url());
    }

    @AfterEach
    void stop() throws Exception {
        if (other != null) {
            other.close();
        }
        if (service != null) {
            service.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWriteThatTimedOutButLandedLaterIsNotAConflict() throws Exception {
        KvCursorStore store = new KvCursorStore(service, BUCKET, KEY);
        assertThat(store.load()).isEmpty();
        store.save(100);

        server.pause(); // SIGSTOP: the write reaches the server's socket and waits there
        try {
            assertThatThrownBy(() -> store.save(200)).hasMessageContaining("Timeout");
        } finally {
            server.resume();
        }
        KeyValue kv = other.keyValue(BUCKET);
        long deadline = System.currentTimeMillis() + 5_000;
        while (!"200".equals(value(kv)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(value(kv)).as("the timed-out write was applied after SIGCONT").isEqualTo("200");

        store.save(300); // its revision is one behind: the server refuses it, the store sees the value was ours
        assertThat(value(kv)).isEqualTo("300");
        store.save(400);
        assertThat(value(kv)).isEqualTo("400");
    }

    @Test
    void aSecondWriterIsReportedOnceAndThenOverwritten() throws Exception {
        KvCursorStore store = new KvCursorStore(service, BUCKET, KEY);
        store.load();
        store.save(100);
        KeyValue kv = other.keyValue(BUCKET);
        kv.put(KEY, "150".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> store.save(200))
                .isInstanceOf(CursorConflictException.class)
                .hasMessageContaining("'" + KEY + "'")
                .hasMessageContaining("it holds 150, we meant to store 200")
                .hasMessageContaining("SERVICE_NAME");
        assertThat(value(kv)).as("the conflicting write did not overwrite").isEqualTo("150");

        store.save(300);
        assertThat(value(kv)).isEqualTo("300");
    }

    @Test
    void aTimedOutWriteDoesNotHideALaterSecondWriter() throws Exception {
        KvCursorStore store = new KvCursorStore(service, BUCKET, KEY);
        store.load();
        store.save(100);
        server.pause();
        try {
            assertThatThrownBy(() -> store.save(200)).hasMessageContaining("Timeout");
        } finally {
            server.resume();
        }
        KeyValue kv = other.keyValue(BUCKET);
        long deadline = System.currentTimeMillis() + 5_000;
        while (!"200".equals(value(kv)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        kv.put(KEY, "250".getBytes(StandardCharsets.US_ASCII)); // someone else, after our late write

        assertThatThrownBy(() -> store.save(300)).isInstanceOf(CursorConflictException.class)
                .hasMessageContaining("it holds 250");
        assertThat(value(kv)).isEqualTo("250");
    }

    /** A key deleted before start means "no cursor"; the first save creates it over the delete marker, quietly. */
    @Test
    void aKeyDeletedBeforeStartIsCreatedAgainWithoutAConflict() throws Exception {
        KeyValue kv = other.keyValue(BUCKET);
        kv.put(KEY, "50".getBytes(StandardCharsets.US_ASCII));
        kv.delete(KEY);
        KvCursorStore store = new KvCursorStore(service, BUCKET, KEY);
        assertThat(store.load()).isEmpty();
        store.save(100);
        assertThat(value(kv)).isEqualTo("100");
        store.save(200);
        assertThat(value(kv)).isEqualTo("200");
    }

    /** Deleted or purged while running: reported once as a conflict, written anyway, and writable from then on. */
    @Test
    void aKeyDeletedOrPurgedWhileRunningIsReportedOnceAndWrittenAgain() throws Exception {
        KvCursorStore store = new KvCursorStore(service, BUCKET, KEY);
        store.load();
        store.save(100);
        KeyValue kv = other.keyValue(BUCKET);
        kv.delete(KEY);

        assertThatThrownBy(() -> store.save(200)).isInstanceOf(CursorConflictException.class)
                .hasMessageContaining("deleted or purged")
                .matches(e -> ((CursorConflictException) e).written());
        assertThat(value(kv)).isEqualTo("200");
        store.save(300);
        assertThat(value(kv)).isEqualTo("300");

        kv.purge(KEY);
        assertThatThrownBy(() -> store.save(400)).isInstanceOf(CursorConflictException.class);
        assertThat(value(kv)).isEqualTo("400");
        store.save(500);
        assertThat(value(kv)).isEqualTo("500");
    }

    private static String value(KeyValue kv) throws Exception {
        var entry = kv.get(KEY);
        return entry == null ? null : new String(entry.getValue(), StandardCharsets.US_ASCII);
    }
}
