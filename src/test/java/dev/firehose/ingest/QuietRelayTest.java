package dev.firehose.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 4, the other side: a relay that has nothing to send but answers PINGs is alive, and the connection
 * is kept — no reconnect for silence alone (FIREHOSE_IDLE_TIMEOUT_MS is off by default).
 */
class QuietRelayTest extends ServiceEndToEndSupport {

    /** More than twice the default ping timeout (6 s): a dead-connection check would have fired twice. */
    private static final long QUIET_MILLIS = 15_000;

    @Test
    void aQuietRelayThatAnswersPingsKeepsItsConnection() throws Exception {
        awaitStoredCursor(corpus.lastSeq());
        long sent = relay.framesSent();

        Thread.sleep(QUIET_MILLIS);

        assertThat(relay.framesSent()).as("the relay stayed quiet").isEqualTo(sent);
        assertThat(relay.connectionCount()).as("no reconnect").isEqualTo(1);
        assertThat(relay.openConnections()).isEqualTo(1);
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
    }
}
