package dev.firehose.ingest.delivery;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import dev.firehose.ingest.metrics.IngestMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rule D6 of docs/invariants.md (issue 13 item 8): storing the cursor never blocks the frame path. The store here is
 * this project's own interface, held up by a latch the way a slow key-value server would hold a write; frames keep
 * finishing meanwhile, and once the store answers, the newest cursor is what gets stored, only ever forward.
 */
class CursorCheckpointerTest {

    /** A store whose first write waits until released; records what it was asked to store. */
    private static final class HeldStore implements CursorStore {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Long> saved = new CopyOnWriteArrayList<>();

        @Override
        public OptionalLong load() {
            return OptionalLong.empty();
        }

        @Override
        public void save(long position) throws InterruptedException {
            release.await();
            saved.add(position);
        }

        @Override
        public void reset(long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<String> appliedStartCursor() {
            return java.util.Optional.empty();
        }

        @Override
        public void recordStartCursor(String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String key() {
            return "test";
        }
    }

    @Test
    void aStoreThatHangsDoesNotHoldBackFrames() throws Exception {
        DeliveryWatermark watermark = new DeliveryWatermark(10, 1_000);
        CursorCheckpointer checkpointer = new CursorCheckpointer(watermark, 1, new IngestMetrics(),
                Executors.newSingleThreadScheduledExecutor());
        HeldStore store = new HeldStore();
        checkpointer.attach(store, DeliveryWatermark.NONE);
        checkpointer.start();
        try {
            // every finished frame asks for a save; the first one hangs in the store
            for (long seq = 1; seq <= 100_000; seq++) {
                DeliveryWatermark.Frame frame = watermark.frameStarted();
                watermark.frameDecoded(frame, seq);
                watermark.frameFinished(frame);
            }
            assertThat(watermark.watermark()).isEqualTo(100_000);
            assertThat(store.release.getCount()).as("the store is still held: the frames did not wait for it")
                    .isEqualTo(1);
            assertThat(store.saved).isEmpty();

            store.release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> checkpointer.lastSaved() == 100_000);
            assertThat(store.saved).isSorted().last().isEqualTo(100_000L);
            assertThat(store.saved.size()).as("saves coalesce while one is running").isLessThan(10);
        } finally {
            checkpointer.stop();
        }
    }
}
