package dev.firehose.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.firehose.ingest.testsupport.FreePorts;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What stops start-up, with a message an operator can act on, before anything is read from the relay. */
class StartupChecksTest {

    @TempDir
    Path tmp;

    private static Properties properties(String natsUrl) {
        Properties p = new Properties();
        p.setProperty("nats.url", natsUrl);
        p.setProperty("firehose.url", "ws://127.0.0.1:9/xrpc/com.atproto.sync.subscribeRepos");
        p.setProperty("health.host", "127.0.0.1");
        p.setProperty("health.port", Integer.toString(FreePorts.next()));
        return p;
    }

    private static String failureOf(Properties properties) {
        Main main = new Main(Application.class);
        main.setOverrideProperties(properties);
        Throwable failure = catchThrowable(main::start);
        try {
            main.stop();
        } catch (RuntimeException ignored) {
            // it did not start
        }
        assertThat(failure).as("start-up must fail").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void aServerWithoutJetStreamIsRefused() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.startWithoutJetStream(Files.createDirectory(tmp.resolve("n")))) {
            assertThat(failureOf(properties(nats.url()))).contains("has no JetStream");
        }
    }

    @Test
    void aNegativeBatchSizeNamesTheVariable() {
        Properties p = properties("nats://127.0.0.1:9");
        p.setProperty("batch.size", "-1");
        assertThat(failureOf(p)).contains("BATCH_SIZE='-1' is not valid");
    }

    @Test
    void minTextLengthAboveMaxNamesBoth() {
        Properties p = properties("nats://127.0.0.1:9");
        p.setProperty("filter.min-text-length", "500");
        p.setProperty("filter.max-text-length", "100");
        assertThat(failureOf(p)).contains("MIN_TEXT_LENGTH (500) must not exceed MAX_TEXT_LENGTH (100)");
    }

    @Test
    void anUnparsableRelayUrlNamesTheVariable() {
        Properties p = properties("nats://127.0.0.1:9");
        p.setProperty("firehose.url", "bsky.network/xrpc");
        assertThat(failureOf(p)).contains("FIREHOSE_URL");
    }
}
