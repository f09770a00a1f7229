package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.DagCborWriter;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static dev.firehose.ingest.testsupport.FrameBuilder.frame;
import static dev.firehose.ingest.testsupport.FrameBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 13 item 3: a frame under the size limit whose 200 creates all point at one large record block used to
 * decode and copy that block once per create (200 creates x 2 MB of text = 400 MB). Now each block is decoded once
 * per frame and a frame's posts carry at most {@link DecodeLimits#maxFrameTextBytes()} of text.
 *
 * <p>The check runs the decoder on a 512 MB heap. Instead of forking such a JVM, these tests measure what
 * the decode allocates, with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} around the call, and
 * bound it by 32 MB. That is at least as strict (what is live is part of what was allocated; the old code allocated
 * 405 MB on the first frame here, the 200 copies of the text all kept in its posts), exact rather than dependent on
 * when a collector runs, and cheap on a shared machine. The assertions are on what comes out: how many posts, how
 * many problems and why, how much text is returned.
 */
class DecodeAmplificationTest {

    private static final int CREATES = 200;
    private static final long MAX_ALLOCATED_BYTES = 32L * 1024 * 1024;

    private final FrameDecoder decoder = new FrameDecoder();

    @Test
    void twoHundredCreatesOfOneTwoMegabyteRecord() throws Exception {
        byte[] frame = frameOfCreatesOfOneRecord(2_000_000);
        assertThat(frame.length).isLessThan(DecodeLimits.defaults().maxFrameBytes());

        Decoded d = decodeMeasuring(frame);

        assertThat(d.event.posts()).isEmpty();
        assertThat(d.event.recordProblems()).hasSize(CREATES)
                .allSatisfy(p -> assertThat(p.reason()).isEqualTo(RecordProblem.Reason.TEXT_TOO_LONG));
        assertThat(d.allocatedBytes).isLessThan(MAX_ALLOCATED_BYTES);
    }

    @Test
    void twoHundredCreatesOfOneRecordUnderTheTextCapStopAtTheFrameBudget() throws Exception {
        int textBytes = 60 * 1024;
        byte[] frame = frameOfCreatesOfOneRecord(textBytes);

        Decoded d = decodeMeasuring(frame);

        int fit = DecodeLimits.DEFAULT_MAX_FRAME_TEXT_BYTES / textBytes; // 17
        assertThat(d.event.posts()).hasSize(fit);
        long textReturned = d.event.posts().stream().mapToLong(p -> p.text().length()).sum();
        assertThat(textReturned).isLessThanOrEqualTo(DecodeLimits.DEFAULT_MAX_FRAME_TEXT_BYTES);
        // one decode: every post holds the very same string
        assertThat(d.event.posts()).allSatisfy(p -> assertThat(p.text()).isSameAs(d.event.posts().get(0).text()));
        assertThat(d.event.posts()).extracting(Post::rkey).doesNotHaveDuplicates();
        assertThat(d.event.recordProblems()).hasSize(CREATES - fit)
                .allSatisfy(p -> assertThat(p.reason()).isEqualTo(RecordProblem.Reason.TEXT_BUDGET_EXCEEDED));
        assertThat(d.allocatedBytes).isLessThan(MAX_ALLOCATED_BYTES);
    }

    @Test
    void aRealCommitIsWellWithinTheBudget() throws Exception {
        // 200 creates (a relay's maximum) of distinct real-size posts: 3000 bytes of text each, all come out
        List<String> paths = new ArrayList<>();
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            paths.add(String.format("app.bsky.feed.post/3lmxjzlrc%04d", i));
            blocks.add(DagCborWriter.encode(realRecord().put("text", i + "x".repeat(3000 - String.valueOf(i).length()))));
        }
        FirehoseEvent event = decoder.decode(frame(header("#commit"), TestFrames.commitBody(1, paths, blocks)));
        assertThat(event.posts()).hasSize(CREATES);
        assertThat(event.recordProblems()).isEmpty();
    }

    /** A #commit of 200 creates with distinct record keys, all pointing at one real record whose text is made long. */
    private static byte[] frameOfCreatesOfOneRecord(int textBytes) {
        String realText = realRecord().get("text").textValue() + " ";
        String text = realText.repeat(textBytes / realText.length() + 1).substring(0, textBytes);
        byte[] block = DagCborWriter.encode(realRecord().put("text", text));
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            paths.add(String.format("app.bsky.feed.post/3lmxjzlrc%04d", i));
        }
        return frame(header("#commit"), TestFrames.commitBodyOneBlock(77, paths, block));
    }

    private static ObjectNode realRecord() {
        return TestFrames.fixturePostRecord("relay-testing-post_lifecycle#5");
    }

    private record Decoded(FirehoseEvent event, long allocatedBytes) {
    }

    private Decoded decodeMeasuring(byte[] frame) throws MalformedFrameException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocated bytes per thread");
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        FirehoseEvent event = decoder.decode(frame);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        return new Decoded(event, allocated);
    }
}
