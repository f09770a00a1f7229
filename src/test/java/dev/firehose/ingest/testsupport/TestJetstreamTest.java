package dev.firehose.ingest.testsupport;

import dev.firehose.ingest.jetstream.JetstreamDecoder;
import dev.firehose.ingest.jetstream.JetstreamEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TestJetstream's cursor, filter and compression semantics, through a plain Vert.x websocket client. */
class TestJetstreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static List<JetstreamWireEvent> posts;
    private static List<JetstreamWireEvent> firehose;
    private static JetstreamDecoder decoder;

    @BeforeAll
    static void corpora() {
        posts = JetstreamCorpus.posts(300, 7).events();
        firehose = JetstreamCorpus.firehose(500, 8).events();
        decoder = new JetstreamDecoder();
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @Test
    void withoutCursorEveryEventAsATextMessageInOrderThenStaysOpen() throws Exception {
        try (TestJetstream jetstream = TestJetstream.start(posts);
             FrameClient client = FrameClient.connect(jetstream.url())) {
            assertThat(client.awaitMessages(300, WAIT)).isEqualTo(300);
            assertSameMessages(client, posts, false);
            assertThat(jetstream.openConnections()).isEqualTo(1);
            assertThat(jetstream.requestedCursors()).containsExactly((String) null);
            assertThat(jetstream.framesSent()).isEqualTo(300);
            assertThat(jetstream.compressedConnections()).isEqualTo(0);
        }
    }

    @Test
    void compressTrueSendsEachEventAsOneZstdFrameInABinaryMessage() throws Exception {
        try (TestJetstream jetstream = TestJetstream.start(posts);
             FrameClient client = FrameClient.connect(jetstream.url() + "?compress=true")) {
            assertThat(client.awaitMessages(300, WAIT)).isEqualTo(300);
            assertSameMessages(client, posts, true);
            for (int i = 0; i < 300; i++) {
                assertThat(decoder.decode(client.messages().get(i), true))
                        .isEqualTo(decoder.decode(posts.get(i).json(), false));
            }
            assertThat(jetstream.compressedConnections()).isEqualTo(1);
        }
        try (TestJetstream jetstream = TestJetstream.start(posts);
             FrameClient client = FrameClient.connect(jetstream.url() + "?compress=false")) {
            assertThat(client.awaitMessages(300, WAIT)).isEqualTo(300);
            assertSameMessages(client, posts, false);
        }
    }

    @Test
    void theCursorIsInclusive() throws Exception {
        try (TestJetstream jetstream = TestJetstream.start(posts)) {
            long at100 = posts.get(100).timeUs();
            for (long cursor : new long[] {at100, posts.get(99).timeUs() + 1}) {
                try (FrameClient client = FrameClient.connect(jetstream.url() + "?cursor=" + cursor)) {
                    assertThat(client.awaitMessages(200, WAIT)).isEqualTo(200);
                    assertSameMessages(client, posts.subList(100, 300), false);
                }
            }
            try (FrameClient client = FrameClient.connect(jetstream.url() + "?cursor=1")) {
                assertThat(client.awaitMessages(300, WAIT)).isEqualTo(300); // older than everything: all of it
                assertSameMessages(client, posts, false);
            }
            assertThat(jetstream.requestedCursors())
                    .containsExactly(Long.toString(at100), Long.toString(posts.get(99).timeUs() + 1), "1");
        }
    }

    @Test
    void reconnectingWithTheLastSeenTimeUsGetsThatEventAgain() throws Exception {
        try (TestJetstream jetstream = TestJetstream.start(posts)) {
            long lastSeen;
            try (FrameClient first = FrameClient.connectPaused(jetstream.url() + "?compress=true")) {
                first.request(120);
                assertThat(first.awaitMessages(120, WAIT)).isEqualTo(120);
                lastSeen = decoder.decode(first.messages().get(119), true).timeUs();
            }
            assertThat(lastSeen).isEqualTo(posts.get(119).timeUs());
            try (FrameClient second = FrameClient.connect(jetstream.url() + "?compress=true&cursor=" + lastSeen)) {
                assertThat(second.awaitMessages(181, WAIT)).isEqualTo(181);
                assertSameMessages(second, posts.subList(119, 300), true); // event 119 twice: at least once
            }
            assertThat(jetstream.maxConcurrentConnections()).isEqualTo(1);
        }
    }

    @Test
    void aCursorAfterTheLastEventGetsOnlyLaterEvents() throws Exception {
        List<JetstreamWireEvent> later = JetstreamCorpus.generate(JetstreamMix.POSTS, 20, 9,
                posts.get(299).timeUs() + 1_000_000).events();
        try (TestJetstream jetstream = TestJetstream.start(posts);
             FrameClient client = FrameClient.connect(jetstream.url() + "?cursor=" + (posts.get(299).timeUs() + 1))) {
            jetstream.append(later);
            assertThat(client.awaitMessages(20, WAIT)).isEqualTo(20);
            assertSameMessages(client, later, false);
        }
    }

    @Test
    void wantedCollectionsFilterCommitsWhileIdentityAndAccountEventsAlwaysPass() throws Exception {
        try (TestJetstream jetstream = TestJetstream.start(firehose)) {
            assertFiltered(jetstream, "wantedCollections=app.bsky.feed.post",
                    e -> !e.isCommit() || e.collection().equals("app.bsky.feed.post"));
            assertFiltered(jetstream, "wantedCollections=app.bsky.feed.post&wantedCollections=app.bsky.feed.like",
                    e -> !e.isCommit() || e.collection().equals("app.bsky.feed.post")
                            || e.collection().equals("app.bsky.feed.like"));
            assertFiltered(jetstream, "wantedCollections=app.bsky.graph.*",
                    e -> !e.isCommit() || e.collection().startsWith("app.bsky.graph."));
            assertFiltered(jetstream, "wantedCollections=app.bsky.feed.post&compress=true&cursor="
                            + firehose.get(250).timeUs(),
                    e -> e.timeUs() >= firehose.get(250).timeUs()
                            && (!e.isCommit() || e.collection().equals("app.bsky.feed.post")));
            assertThat(jetstream.requestedQueries()).hasSize(4)
                    .first().isEqualTo("wantedCollections=app.bsky.feed.post");
        }
    }

    @Test
    void badQueriesAreRefusedBeforeTheUpgrade() {
        StringBuilder tooMany = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            tooMany.append(i == 0 ? "" : "&").append("wantedCollections=com.example.c").append((char) ('a' + i % 26))
                    .append(i);
        }
        try (TestJetstream jetstream = TestJetstream.start(posts)) {
            for (String query : List.of("cursor=abc", "cursor=-5", "cursor=1.5", "wantedCollections=post",
                    "wantedCollections=app.bsky.fo*", "wantedCollections=app.bsky", tooMany.toString())) {
                assertThatThrownBy(() -> FrameClient.connect(jetstream.url() + "?" + query))
                        .as(query).isInstanceOf(Exception.class);
            }
            String other = "ws://127.0.0.1:" + jetstream.port() + "/xrpc/com.atproto.sync.subscribeRepos";
            assertThatThrownBy(() -> FrameClient.connect(other)).isInstanceOf(Exception.class);
            assertThat(jetstream.connectionCount()).isEqualTo(0);
        }
    }

    @Test
    void liveTailWithoutCursorOrWithAFutureOneGetsOnlyAppendedEvents() throws Exception {
        List<JetstreamWireEvent> later = JetstreamCorpus.generate(JetstreamMix.POSTS, 30, 10,
                posts.get(299).timeUs() + 1).events();
        long future = (System.currentTimeMillis() + 3_600_000) * 1000;
        try (TestJetstream jetstream = TestJetstream.start(posts).liveTail(true);
             FrameClient noCursor = FrameClient.connect(jetstream.url());
             FrameClient futureCursor = FrameClient.connect(jetstream.url() + "?cursor=" + future);
             FrameClient pastCursor = FrameClient.connect(jetstream.url() + "?cursor=" + posts.get(290).timeUs())) {
            jetstream.append(later);
            assertThat(noCursor.awaitMessages(30, WAIT)).isEqualTo(30);
            assertSameMessages(noCursor, later, false);
            assertThat(futureCursor.awaitMessages(30, WAIT)).isEqualTo(30); // earlier than the cursor, yet live
            assertSameMessages(futureCursor, later, false);
            List<JetstreamWireEvent> replayed = new ArrayList<>(posts.subList(290, 300));
            replayed.addAll(later);
            assertThat(pastCursor.awaitMessages(40, WAIT)).isEqualTo(40);
            assertSameMessages(pastCursor, replayed, false);
        }
    }

    @Test
    void faultSwitchesApply() throws Exception {
        try (TestJetstream jetstream = TestJetstream.start(posts)) {
            jetstream.closeEvery(50);
            try (FrameClient client = FrameClient.connect(jetstream.url())) {
                assertThat(client.awaitClosedByServer(WAIT)).isTrue();
                assertThat(client.messageCount()).isEqualTo(50);
            }
            jetstream.closeEvery(0).goSilent(true);
            try (FrameClient client = FrameClient.connect(jetstream.url() + "?cursor=" + posts.get(49).timeUs())) {
                assertThat(jetstream.framesSent()).isEqualTo(50); // the handshake is done, and nothing was sent
                jetstream.goSilent(false);
                assertThat(client.awaitMessages(251, WAIT)).isEqualTo(251);
                assertSameMessages(client, posts.subList(49, 300), false);
            }
            jetstream.stallEvery(10);
            try (FrameClient client = FrameClient.connect(jetstream.url() + "?compress=true")) {
                assertThat(client.awaitMessages(10, WAIT)).isEqualTo(10);
                assertSameMessages(client, posts.subList(0, 10), true);
            }
            assertThat(jetstream.stalledConnections()).isEqualTo(1);
            assertThat(jetstream.requestedCursors()).containsExactly(null, Long.toString(posts.get(49).timeUs()), null);
        }
    }

    private static void assertFiltered(TestJetstream jetstream, String query, Predicate<JetstreamWireEvent> wanted)
            throws Exception {
        List<JetstreamWireEvent> expected = firehose.stream().filter(wanted).toList();
        assertThat(expected.size()).isLessThan(firehose.size());
        boolean compressed = query.contains("compress=true");
        try (FrameClient client = FrameClient.connect(jetstream.url() + "?" + query)) {
            assertThat(client.awaitMessages(expected.size(), WAIT)).isEqualTo(expected.size());
            assertSameMessages(client, expected, compressed);
            for (byte[] message : client.messages()) {
                JetstreamEvent event = decoder.decode(message, compressed);
                assertThat(event.kind() != JetstreamEvent.Kind.COMMIT || wanted.test(find(event))).isTrue();
            }
        }
    }

    private static JetstreamWireEvent find(JetstreamEvent event) {
        return firehose.stream().filter(e -> e.timeUs() == event.timeUs()).findFirst().orElseThrow();
    }

    private static void assertSameMessages(FrameClient client, List<JetstreamWireEvent> expected, boolean compressed) {
        List<byte[]> received = client.messages();
        assertThat(received).hasSize(expected.size());
        assertThat(client.binaryFlags()).containsOnly(compressed);
        for (int i = 0; i < expected.size(); i++) {
            if (!Arrays.equals(received.get(i), expected.get(i).message(compressed))) {
                throw new AssertionError("message " + i + " (time_us " + expected.get(i).timeUs() + ") differs");
            }
        }
    }
}
