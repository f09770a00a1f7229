package dev.firehose.ingest;

import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.JetstreamWireEvent;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, rules D1 and D4 for Jetstream, plain ({@link PlainJetstreamRestartTest}) and compressed
 * ({@link CompressedJetstreamRestartTest}) alike: the service is stopped mid-stream with a batch still open and started
 * again. The stored cursor is the last {@code time_us} taken; the second instance asks Jetstream for it minus 5 s
 * (instances are not in lockstep), takes those 5 s again, and the stream's duplicate window drops the posts published
 * twice: the stream ends up exactly as after one uninterrupted run, and the duplicates are exactly the accepted posts
 * of those 5 s.
 */
abstract class JetstreamRestartTest extends JetstreamEndToEndSupport {

    private List<JetstreamWireEvent> all;
    private int cut;
    private boolean firstInstance = true;

    @Override
    protected List<JetstreamWireEvent> firstEvents() {
        all = corpus.events();
        cut = all.size() * 2 / 5;
        return all.subList(0, cut);
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        return firstInstance ? batchesOpenUntilStop(p) : p;
    }

    @Test
    void aStoppedServiceResumesFiveSecondsBeforeItsCursorWithoutLossOrDuplicate() throws Exception {
        long cutTimeUs = all.get(cut - 1).timeUs();
        stopWithABatchOpenAt(cutTimeUs, JETSTREAM_KEY);

        jetstream.append(all.subList(cut, all.size()));
        firstInstance = false;
        CamelContext second = startService();
        try {
            awaitStoredCursor(corpus.lastTimeUs());
            assertStreamHoldsExactly(expectedPosts(corpus.posts()));
            long resumedAt = cutTimeUs - REWIND_MICROS;
            assertThat(jetstream.requestedCursors()).containsExactly(null, Long.toString(resumedAt));
            assertThat(jetstream.maxConcurrentConnections()).isEqualTo(1);
            assertEveryConnectionAskedForPosts();

            IngestMetrics metrics = metrics(second);
            long takenAgain = expectedPosts(corpus.posts()).stream()
                    .filter(post -> post.timeUs() >= resumedAt && post.timeUs() <= cutTimeUs).count();
            assertThat(takenAgain).as("accepted posts in the 5 s before the cursor").isPositive();
            assertThat(metrics.count(IngestMetrics.PUBLISH_DUPLICATES)).isEqualTo(takenAgain);
            assertThat(metrics.count(IngestMetrics.FRAMES_REPLAYED)).isZero();
            assertThat(storedCursor(KEY)).as("the relay's key is not Jetstream's").isEqualTo(-1);
        } finally {
            second.stop();
        }
    }
}
