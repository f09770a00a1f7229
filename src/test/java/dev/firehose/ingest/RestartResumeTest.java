package dev.firehose.ingest;

import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.testsupport.RelayFrame;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service is stopped mid-stream, with a batch still open, and started again: the second instance asks the
 * relay for the stored cursor and the stream ends up exactly as after one uninterrupted run.
 */
class RestartResumeTest extends ServiceEndToEndSupport {

    private List<RelayFrame> all;
    private int cut;
    private boolean firstInstance = true;

    @Override
    protected List<RelayFrame> firstFrames() {
        all = corpus.frames();
        cut = all.size() * 2 / 5;
        return all.subList(0, cut);
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        return firstInstance ? batchesOpenUntilStop(p) : p;
    }

    @Test
    void aStoppedServiceResumesFromItsCursorWithTheSameExactResult() throws Exception {
        long cutSeq = all.get(cut - 1).seq();
        stopWithABatchOpenAt(cutSeq, KEY);

        relay.append(all.subList(cut, all.size()));
        firstInstance = false;
        CamelContext second = startService();
        try {
            awaitStoredCursor(corpus.lastSeq());
            assertStreamHoldsExactly(expectedPosts(corpus.posts()));
            assertThat(relay.requestedCursors()).containsExactly(null, Long.toString(cutSeq));
            assertThat(relay.maxConcurrentConnections()).isEqualTo(1);
        } finally {
            second.stop();
        }
    }
}
