package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.firehose.ingest.metrics.IngestMetrics;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second writer changes the cursor key while the service runs (a second instance with the same SERVICE_NAME,
 * or an operator): the service's next compare-and-set write fails, it counts the conflict and logs an ERROR
 * naming the key, and does not overwrite that write; it carries on, and its following saves move the cursor on.
 */
class CursorConflictTest extends ServiceEndToEndSupport {

    private static final String FOREIGN = "4242";

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        relay.setRate(600); // ~5 s of replay: the foreign write lands mid-stream
    }

    @Test
    void aSecondWriterIsReportedOnceInsteadOfSilentlyOverwritten() throws Exception {
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        List<String> errors = new CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("conflict-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel() == Level.ERROR) {
                    errors.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().addAppender(capture, Level.ERROR, null);
        logging.updateLoggers();
        try {
            KeyValue kv = client.keyValue(BUCKET);
            List<String> history = new CopyOnWriteArrayList<>();
            kv.watch(KEY, new KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry entry) {
                    if (entry.getOperation() == KeyValueOperation.PUT) {
                        history.add(new String(entry.getValue(), StandardCharsets.US_ASCII));
                    }
                }

                @Override
                public void endOfData() {
                }
            }, KeyValueWatchOption.UPDATES_ONLY);

            long third = FIRST_SEQ + FRAMES / 3;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> storedCursor() >= third);
            kv.put(KEY, FOREIGN.getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> metrics.count(IngestMetrics.CURSOR_CONFLICTS) == 1);
            awaitStoredCursor(corpus.lastSeq());
            await().atMost(Duration.ofSeconds(5)).until(() -> history.get(history.size() - 1)
                    .equals(Long.toString(corpus.lastSeq())));

            System.out.printf("cursor conflict: key history %s; errors %s; %s%n", history, errors, metrics.snapshot());
            assertThat(metrics.count(IngestMetrics.CURSOR_CONFLICTS)).isEqualTo(1);
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains("cursor key '" + KEY + "' was changed by another writer")
                    .contains("it holds " + FOREIGN).contains("SERVICE_NAME");
            // The foreign value was written once and not overwritten by the refused write: the next value is a
            // later save, and the service's values only ever increase.
            int foreign = history.indexOf(FOREIGN);
            assertThat(foreign).isPositive();
            assertThat(history.lastIndexOf(FOREIGN)).isEqualTo(foreign);
            List<Long> ours = history.stream().filter(v -> !v.equals(FOREIGN)).map(Long::parseLong).toList();
            assertThat(ours).isSorted().doesNotHaveDuplicates();
            assertThat(Long.parseLong(history.get(foreign + 1))).isGreaterThan(Long.parseLong(history.get(foreign - 1)));
            assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        } finally {
            logging.getConfiguration().getRootLogger().removeAppender("conflict-capture");
            logging.updateLoggers();
            capture.stop();
        }
    }
}
