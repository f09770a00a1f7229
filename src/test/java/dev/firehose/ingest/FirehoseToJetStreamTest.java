package dev.firehose.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few thousand real-record frames, replayed once: the stream holds exactly the accepted posts (none missing,
 * none extra, none twice, fields equal), and the stored cursor is the last frame's seq.
 */
class FirehoseToJetStreamTest extends ServiceEndToEndSupport {

    @Test
    void everyAcceptedPostLandsExactlyOnceAndTheCursorReachesTheLastFrame() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
        assertThat(relay.requestedCursors()).containsExactly((String) null);
    }
}
