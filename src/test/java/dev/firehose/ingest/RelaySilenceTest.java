package dev.firehose.ingest;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay stops sending mid-stream without closing the connection (a half-dead connection), twice. With a
 * 1.5 s idle timeout the service closes the socket itself, reconnects with its cursor and gets the rest.
 */
final class RelaySilenceTest extends ServiceEndToEndSupport {

    private static final int STALL_EVERY = 1_200;
    private static final long IDLE_TIMEOUT_MS = 1_500;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        relay.stallEvery(STALL_EVERY);
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("firehose.idle-timeout-ms", Long.toString(IDLE_TIMEOUT_MS));
        return p;
    }

    @Test
    void aSilentConnectionIsDroppedAndTheRestArrivesAfterTheReconnect() throws Exception {
        long started = System.nanoTime();
        awaitStoredCursor(corpus.lastSeq());
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());
        assertThat(relay.stalledConnections()).isEqualTo(FRAMES / STALL_EVERY);
        // One connection per stall plus the one that finished the replay (the test relay then has nothing more to
        // send, so a further idle reconnect may already have started: it is not counted here).
        int connections = FRAMES / STALL_EVERY + 1;
        assertThat(relay.connectionCount()).isGreaterThanOrEqualTo(connections);
        assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
        // Each reconnect asks for the cursor: the first one null, then a seq of the corpus, not going back.
        assertThat(relay.requestedCursors().get(0)).isNull();
        long previous = Long.MIN_VALUE;
        for (String cursor : relay.requestedCursors().subList(1, connections)) {
            long seq = Long.parseLong(cursor);
            assertThat(seq).isBetween(corpus.frames().get(0).seq(), corpus.lastSeq()).isGreaterThanOrEqualTo(previous);
            previous = seq;
        }
        assertThat(seconds).as("two idle timeouts and reconnects, not a hang").isLessThan(20);
    }
}
