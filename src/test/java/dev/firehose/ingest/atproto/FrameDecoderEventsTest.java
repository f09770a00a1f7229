package dev.firehose.ingest.atproto;

import org.junit.jupiter.api.Test;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static dev.firehose.ingest.testsupport.FrameBuilder.frame;
import static dev.firehose.ingest.testsupport.FrameBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The frame kinds without posts: error frames, #info, and the repo events. */
class FrameDecoderEventsTest {

    private final FrameDecoder decoder = new FrameDecoder();

    @Test
    void errorFrame() throws Exception {
        FirehoseEvent event = decoder.decode(frame(JSON.createObjectNode().put("op", -1),
                JSON.createObjectNode().put("error", "FutureCursor").put("message", "Cursor in the future.")));

        assertThat(event.op()).isEqualTo(-1);
        assertThat(event.type()).isNull();
        assertThat(event.seq()).isEqualTo(-1);
        assertThat(event.hasSeq()).isFalse();
        assertThat(event.errorName()).isEqualTo("FutureCursor");
        assertThat(event.errorMessage()).isEqualTo("Cursor in the future.");
        assertThat(event.posts()).isEmpty();
        assertThat(event.repo()).isNull();
    }

    @Test
    void errorFrameWithoutMessageAndWithAStrayT() throws Exception {
        FirehoseEvent event = decoder.decode(frame(JSON.createObjectNode().put("op", -1).put("t", "#whatever"),
                JSON.createObjectNode().put("error", "ConsumerTooSlow")));
        assertThat(event.errorName()).isEqualTo("ConsumerTooSlow");
        assertThat(event.errorMessage()).isNull();
    }

    @Test
    void infoFrame() throws Exception {
        FirehoseEvent event = decoder.decode(frame(header("#info"),
                JSON.createObjectNode().put("name", "OutdatedCursor").put("message", "Requested cursor exceeded limit.")));

        assertThat(event.op()).isEqualTo(1);
        assertThat(event.type()).isEqualTo("#info");
        assertThat(event.hasSeq()).isFalse();
        assertThat(event.infoName()).isEqualTo("OutdatedCursor");
        assertThat(event.infoMessage()).isEqualTo("Requested cursor exceeded limit.");
        assertThat(event.errorName()).isNull();
    }

    @Test
    void realIdentityAccountAndSyncFrames() throws Exception {
        FirehoseEvent identity = decoder.decode(FirehoseFixtures.byName("relay-testing-account_lifecycle#0").bytes());
        assertThat(identity.type()).isEqualTo("#identity");
        assertThat(identity.seq()).isEqualTo(110);
        assertThat(identity.repo()).isEqualTo("did:plc:vvpy7d6y2li5yo73cgbszibl");
        assertThat(identity.time()).isEqualTo("2025-04-16T23:40:33.895Z");

        FirehoseEvent sync = decoder.decode(FirehoseFixtures.byName("relay-testing-account_lifecycle#2").bytes());
        assertThat(sync.type()).isEqualTo("#sync");
        assertThat(sync.seq()).isEqualTo(130);
        assertThat(sync.posts()).isEmpty();

        FirehoseEvent account = decoder.decode(FirehoseFixtures.byName("relay-testing-account_lifecycle#3").bytes());
        assertThat(account.type()).isEqualTo("#account");
        assertThat(account.seq()).isEqualTo(140);
    }

    @Test
    void seqBeyondIntRange() throws Exception {
        FirehoseEvent event = decoder.decode(FirehoseFixtures.byName("relay-testing-legacy#2").bytes());
        assertThat(event.seq()).isEqualTo(7278969010L);
    }

    @Test
    void emptyListsAreSharedAndImmutable() throws Exception {
        FirehoseEvent like = decoder.decode(FirehoseFixtures.byName("relay-testing-post_lifecycle#0").bytes());
        assertThat(like.posts()).isSameAs(java.util.List.of());
        assertThat(like.recordProblems()).isSameAs(java.util.List.of());
    }

    @Test
    void decoderIsReusableAcrossThreads() throws Exception {
        byte[] post = FirehoseFixtures.byName("relay-testing-post_lifecycle#2").bytes();
        String expected = decoder.decode(post).posts().get(0).text();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    try {
                        if (decoder.decode(post).posts().get(0).text().equals(expected)) {
                            ok.incrementAndGet();
                        }
                    } catch (MalformedFrameException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(ok).hasValue(2000);
    }
}
