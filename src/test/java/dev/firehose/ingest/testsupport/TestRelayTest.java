package dev.firehose.ingest.testsupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static List<RelayFrame> corpus;

    @BeforeAll
    static void corpus() {
        corpus = FrameCorpus.synthetic(300, 1000, 7).frames();
    }

    @Test
    void withoutCursorReplaysEveryFrameInOrderThenStaysOpen() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus);
             FrameClient client = FrameClient.connect(relay.url())) {
            assertThat(client.awaitMessages(300, WAIT)).as("received; relay sent %d", relay.framesSent()).isEqualTo(300);
            assertSameFrames(client.messages(), corpus);
            Thread.sleep(200); // nothing more comes, and the relay keeps the connection
            assertThat(client.messageCount()).isEqualTo(300);
            assertThat(relay.openConnections()).isEqualTo(1);
            assertThat(relay.requestedCursors()).containsExactly((String) null);
            assertThat(relay.framesSent()).isEqualTo(300);
        }
    }

    @Test
    void cursorReplaysOnlyLaterSeqs() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus);
             FrameClient client = FrameClient.connect(relay.url() + "?cursor=1100")) {
            assertThat(client.awaitMessages(199, WAIT)).isEqualTo(199);
            assertSameFrames(client.messages(), corpus.subList(101, 300));
            assertThat(relay.requestedCursors()).containsExactly("1100");
        }
    }

    @Test
    void cursorFiltersBySeqInListOrderEvenWhenSeqsAreNotSorted() throws Exception {
        List<RelayFrame> scenarios = FrameCorpus.fromFixtureScenarios();
        List<RelayFrame> expected = scenarios.stream().filter(f -> f.seq() > 1000).toList();
        try (TestRelay relay = TestRelay.start(scenarios);
             FrameClient client = FrameClient.connect(relay.url() + "?cursor=1000")) {
            assertThat(client.awaitMessages(expected.size(), WAIT)).isEqualTo(expected.size());
            assertSameFrames(client.messages(), expected);
        }
    }

    @Test
    void reconnectWithTheLastSeenSeqGetsExactlyTheRest() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus)) {
            long lastSeen;
            try (FrameClient first = FrameClient.connectPaused(relay.url())) {
                first.request(120);
                assertThat(first.awaitMessages(120, WAIT)).isEqualTo(120);
                lastSeen = corpus.get(119).seq();
            }
            long sentBefore = relay.framesSent();
            try (FrameClient second = FrameClient.connect(relay.url() + "?cursor=" + lastSeen)) {
                assertThat(second.awaitMessages(180, WAIT))
                        .as("received; relay sent %d on this connection", relay.framesSent() - sentBefore)
                        .isEqualTo(180);
                assertSameFrames(second.messages(), corpus.subList(120, 300));
            }
            assertThat(relay.connectionCount()).isEqualTo(2);
            assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
            assertThat(relay.requestedCursors()).containsExactly(null, Long.toString(lastSeen));
        }
    }

    @Test
    void framesReadBeforeTheConnectingThreadGetsBackAreKept() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus);
             FrameClient client = FrameClient.connect(relay.url(), () -> awaitAllSent(relay, 300))) {
            assertThat(client.awaitMessages(300, WAIT)).as("received; relay sent %d", relay.framesSent()).isEqualTo(300);
            assertSameFrames(client.messages(), corpus);
        }
    }

    /** The connecting thread descheduled until the whole replay went out (and was read), as on a loaded machine. */
    private static void awaitAllSent(TestRelay relay, int frames) {
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (relay.framesSent() < frames && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void appendedFramesArePushedToOpenConnections() throws Exception {
        Corpus more = FrameCorpus.synthetic(10, 1300, 8);
        try (TestRelay relay = TestRelay.start(corpus);
             FrameClient client = FrameClient.connect(relay.url())) {
            assertThat(client.awaitMessages(300, WAIT)).as("received; relay sent %d", relay.framesSent()).isEqualTo(300);
            relay.append(more.frames());
            assertThat(client.awaitMessages(310, WAIT)).isEqualTo(310);
            List<RelayFrame> all = new ArrayList<>(corpus);
            all.addAll(more.frames());
            assertSameFrames(client.messages(), all);
        }
    }

    @Test
    void aStalledClientDoesNotMakeTheRelayQueueTheReplay() throws Exception {
        byte[] big = new byte[64 * 1024];
        List<RelayFrame> frames = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) { // 128 MiB in all
            frames.add(new RelayFrame(i, big));
        }
        try (TestRelay relay = TestRelay.start(frames);
             FrameClient client = FrameClient.connectPaused(relay.url())) {
            Thread.sleep(500);
            long sentWhileStalled = relay.framesSent();
            // only what fits the socket buffers and Vert.x' write queue: far below the whole replay
            assertThat(sentWhileStalled).isLessThan(500);
            client.readFreely();
            assertThat(client.awaitMessages(2000, Duration.ofSeconds(30))).isEqualTo(2000);
            assertThat(relay.framesSent()).isEqualTo(2000);
        }
    }

    @Test
    void closeAllConnectionsClosesThemAndAReconnectReplaysAgain() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus);
             FrameClient client = FrameClient.connect(relay.url())) {
            assertThat(client.awaitMessages(300, WAIT)).isEqualTo(300);
            relay.closeAllConnections();
            assertThat(client.awaitClosedByServer(WAIT)).isTrue();
            assertThat(relay.openConnections()).isEqualTo(0);
            try (FrameClient again = FrameClient.connect(relay.url() + "?cursor=1290")) {
                assertThat(again.awaitMessages(9, WAIT)).isEqualTo(9);
                assertSameFrames(again.messages(), corpus.subList(291, 300));
            }
        }
    }

    @Test
    void closeEveryAndSilenceFaults() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus)) {
            relay.closeEvery(50);
            try (FrameClient client = FrameClient.connect(relay.url())) {
                assertThat(client.awaitClosedByServer(WAIT)).isTrue();
                assertThat(client.messageCount()).isEqualTo(50);
            }
            relay.closeEvery(0).goSilent(true);
            try (FrameClient client = FrameClient.connect(relay.url() + "?cursor=1049")) {
                Thread.sleep(200);
                assertThat(client.messageCount()).isEqualTo(0);
                relay.goSilent(false);
                assertThat(client.awaitMessages(250, WAIT)).isEqualTo(250);
                assertSameFrames(client.messages(), corpus.subList(50, 300));
            }
        }
    }

    @Test
    void pacedRelaySendsAtTheRate() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus)) {
            relay.setRate(500);
            try (FrameClient client = FrameClient.connect(relay.url())) {
                assertThat(client.awaitAtLeast(100, WAIT)).isTrue();
                // From the relay's first send, not from connect(): under load the connect itself can take longer
                // than the first frames do.
                double seconds = (System.nanoTime() - relay.firstFrameSentNanos()) / 1e9;
                assertThat(seconds).isBetween(0.15, 2.0); // 100 frames at 500/s ≈ 0.2 s
            }
        }
    }

    @Test
    void stallEveryLeavesTheConnectionOpenAndSilentWhileANewOneIsServed() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus)) {
            relay.stallEvery(100);
            try (FrameClient stalled = FrameClient.connect(relay.url())) {
                assertThat(stalled.awaitMessages(100, WAIT)).isEqualTo(100);
                Thread.sleep(200); // nothing more comes, and the connection stays open
                assertThat(stalled.messageCount()).isEqualTo(100);
                assertThat(relay.stalledConnections()).isEqualTo(1);
                assertThat(relay.openConnections()).isEqualTo(1);
                relay.stallEvery(0);
                try (FrameClient next = FrameClient.connect(relay.url() + "?cursor=" + corpus.get(99).seq())) {
                    assertThat(next.awaitMessages(200, WAIT)).isEqualTo(200);
                    assertSameFrames(next.messages(), corpus.subList(100, 300));
                }
            }
        }
    }

    @Test
    void enforcedCursorBoundsAnOutdatedCursorGetsAnInfoFrameThenEveryFrame() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus).enforceCursorBounds(true);
             FrameClient client = FrameClient.connect(relay.url() + "?cursor=5")) {
            assertThat(client.awaitMessages(301, WAIT)).isEqualTo(301);
            List<com.fasterxml.jackson.databind.JsonNode> info = AtJson.decodeSequence(client.messages().get(0));
            assertThat(info.get(0).get("t").asText()).isEqualTo("#info");
            assertThat(info.get(1).get("name").asText()).isEqualTo("OutdatedCursor");
            assertSameFrames(client.messages().subList(1, 301), corpus);
            assertThat(relay.outdatedCursorInfosSent()).isEqualTo(1);
            assertThat(relay.futureCursorErrorsSent()).isEqualTo(0);
        }
    }

    @Test
    void enforcedCursorBoundsAFutureCursorGetsAnErrorFrameAndIsClosed() throws Exception {
        try (TestRelay relay = TestRelay.start(corpus).enforceCursorBounds(true)) {
            try (FrameClient client = FrameClient.connect(relay.url() + "?cursor=5000")) {
                assertThat(client.awaitClosedByServer(WAIT)).isTrue();
                assertThat(client.messageCount()).isEqualTo(1);
                List<com.fasterxml.jackson.databind.JsonNode> error = AtJson.decodeSequence(client.messages().get(0));
                assertThat(error.get(0).get("op").asInt()).isEqualTo(-1);
                assertThat(error.get(1).get("error").asText()).isEqualTo("FutureCursor");
            }
            try (FrameClient inBounds = FrameClient.connect(relay.url() + "?cursor=" + corpus.get(0).seq())) {
                assertThat(inBounds.awaitMessages(299, WAIT)).isEqualTo(299);
                assertSameFrames(inBounds.messages(), corpus.subList(1, 300));
            }
            assertThat(relay.futureCursorErrorsSent()).isEqualTo(1);
            assertThat(relay.outdatedCursorInfosSent()).isEqualTo(0);
            assertThat(relay.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void aCursorThatIsNoNumberIsRejectedAndNotRecorded() {
        try (TestRelay relay = TestRelay.start(corpus)) {
            assertThatThrownBy(() -> FrameClient.connect(relay.url() + "?cursor=abc")).isInstanceOf(Exception.class);
            assertThat(relay.connectionCount()).isEqualTo(0);
            assertThat(relay.requestedCursors()).isEmpty();
        }
    }

    @Test
    void otherPathsAreRejected() {
        try (TestRelay relay = TestRelay.start(corpus)) {
            String wrong = "ws://127.0.0.1:" + relay.port() + "/xrpc/other";
            assertThatThrownBy(() -> FrameClient.connect(wrong)).isInstanceOf(Exception.class);
            assertThat(relay.connectionCount()).isEqualTo(0);
        }
    }

    private static void assertSameFrames(List<byte[]> received, List<RelayFrame> expected) {
        assertThat(received).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            if (!Arrays.equals(received.get(i), expected.get(i).bytes())) {
                throw new AssertionError("frame " + i + " (seq " + expected.get(i).seq() + ") differs");
            }
        }
    }
}
