package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.RelayFrame;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 5 (rule D6 of docs/invariants.md): the cursor key deleted before start, and again while running. A
 * delete marker used to make every later write fail for ever (and a crash then started live, a gap). Before start
 * it means "no cursor"; while running it is reported once and the key written again: exact posts, the cursor reaches
 * the last frame, one conflict.
 */
class CursorKeyDeletedTest extends ServiceEndToEndSupport {

    private static final int HALF = FRAMES / 2;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        // Before the service starts (the test support starts it after this): the bucket as the service would make
        // it, with a deleted cursor in it.
        client.keyValueManagement().create(KeyValueConfiguration.builder().name(BUCKET)
                .storageType(StorageType.File).maxHistoryPerKey(1).build());
        KeyValue kv = client.keyValue(BUCKET);
        kv.put(KEY, "4999000".getBytes(StandardCharsets.US_ASCII));
        kv.delete(KEY);
    }

    @Override
    protected List<RelayFrame> firstFrames() {
        return corpus.frames().subList(0, HALF);
    }

    @Test
    void aDeletedCursorKeyIsWrittenAgainAndReportedOnce() throws Exception {
        awaitStoredCursor(corpus.frames().get(HALF - 1).seq());
        client.keyValue(BUCKET).delete(KEY);

        relay.append(corpus.frames().subList(HALF, FRAMES));
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        assertThat(metrics.count(IngestMetrics.CURSOR_CONFLICTS)).isEqualTo(1);
        assertThat(relay.requestedCursors()).containsExactly((String) null);
    }
}
