package dev.firehose.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.testsupport.FreezableTcpProxy;
import dev.firehose.ingest.testsupport.RelayFrame;
import dev.firehose.ingest.testsupport.TestRelay;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 4: a dead connection is found by protocol. Half-way through, the TCP path to the relay freezes: the
 * socket stays open, but no frame and no PONG comes back (a hung relay, a path that died without a FIN). The service
 * replaces the connection within 10 s, asks for its cursor, and every post of the second half lands exactly once.
 */
class DeadRelayTest extends ServiceEndToEndSupport {

    private FreezableTcpProxy proxy;

    @Override
    protected List<RelayFrame> firstFrames() {
        return corpus.frames().subList(0, FRAMES / 2);
    }

    @Override
    protected Properties serviceProperties() {
        proxy = FreezableTcpProxy.start(relay.port());
        Properties p = super.serviceProperties();
        p.setProperty("firehose.url", "ws://127.0.0.1:" + proxy.port() + TestRelay.PATH);
        return p;
    }

    @Override
    protected void cleanupResources() throws Exception {
        super.cleanupResources();
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aFrozenConnectionIsReplacedWithinTenSecondsAndNothingIsLost() throws Exception {
        awaitStoredCursor(corpus.frames().get(FRAMES / 2 - 1).seq());
        assertThat(proxy.connections()).isEqualTo(1);

        proxy.freezeOpenConnections();
        relay.append(corpus.frames().subList(FRAMES / 2, FRAMES)); // held in the frozen path
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> proxy.connections() == 2);

        awaitStoredCursor(corpus.lastSeq());
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(relay.requestedCursors()).containsExactly(null,
                Long.toString(corpus.frames().get(FRAMES / 2 - 1).seq()));
    }
}
