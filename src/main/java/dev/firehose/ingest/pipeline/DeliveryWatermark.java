package dev.firehose.ingest.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The exact meaning of the firehose cursor: {@link #watermark()} is the highest seq S such that every
 * accepted post of every frame with seq &le; S has its PubAck.
 *
 * <p>Frames enter in relay order ({@link #frameStarted}), posts of a frame are held while they wait in a batch
 * ({@link #postHeld}) and released by their PubAck ({@link #postAcked}); a frame leaves the in-line part of the
 * pipeline with {@link #frameFinished}. A frame is durable once it is finished and none of its posts is still
 * held; the watermark moves over the longest durable prefix. Frames without posts, or whose posts the filter
 * dropped, are durable as soon as they are finished.
 *
 * <p>Thread-safe: frames are started and finished by the consumer thread, acks arrive on the publisher thread.
 */
public final class DeliveryWatermark {

    /** Used when nothing is stored yet and no frame has been seen. */
    public static final long NONE = -1;

    private final Deque<Frame> open = new ArrayDeque<>();
    private long watermark;
    private long lastStarted;
    private long heldPosts;

    public DeliveryWatermark(long resumeFrom) {
        this.watermark = resumeFrom;
        this.lastStarted = resumeFrom;
    }

    /** Sets where the stream resumes (the stored cursor), before the first frame is read. */
    public synchronized void resumeFrom(long seq) {
        if (!open.isEmpty() || lastStarted != watermark) {
            throw new IllegalStateException("frames were already read");
        }
        watermark = seq;
        lastStarted = seq;
    }

    /**
     * Registers the next frame. Returns false, and registers nothing, when the seq does not move forward
     * (a frame replayed after a reconnect, or a relay that repeats itself): such a frame is already accounted for.
     */
    public synchronized boolean frameStarted(long seq) {
        if (seq <= lastStarted) {
            return false;
        }
        lastStarted = seq;
        open.addLast(new Frame(seq));
        return true;
    }

    /** One post of frame {@code seq} was accepted and now waits for its PubAck. */
    public synchronized void postHeld(long seq) {
        Frame frame = find(seq);
        frame.held++;
        heldPosts++;
    }

    /** The in-line part of the pipeline is done with frame {@code seq}: all its posts are held or dropped. */
    public synchronized void frameFinished(long seq) {
        find(seq).finished = true;
        advance();
    }

    /** A post of frame {@code seq} has its PubAck. */
    public synchronized void postAcked(long seq) {
        Frame frame = find(seq);
        if (frame.held <= 0) {
            throw new IllegalStateException("ack for frame " + seq + " which holds no post");
        }
        frame.held--;
        heldPosts--;
        advance();
        notifyAll();
    }

    public synchronized long watermark() {
        return watermark;
    }

    /** The seq of the newest frame started, or the resume point when none was. */
    public synchronized long lastStarted() {
        return lastStarted;
    }

    /** Posts accepted but not yet acknowledged. */
    public synchronized long heldPosts() {
        return heldPosts;
    }

    /**
     * Blocks while {@code limit} or more posts wait for their PubAck: the caller (the frame reader) stops taking
     * frames, so memory stays bounded when NATS is slow. Returns false if the wait timed out.
     */
    public synchronized boolean awaitCapacity(long limit, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (heldPosts >= limit) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Blocks until every post taken so far has its PubAck (or the timeout passes); true when drained. */
    public synchronized boolean awaitDrained(long timeoutMillis) throws InterruptedException {
        return awaitCapacity(1, timeoutMillis);
    }

    /**
     * Forgets the seq space: the next frame may have any seq. Used when the relay has no events at our cursor
     * (FutureCursor: e.g. after switching relays) and the operator chose to start live. Only valid once drained.
     */
    public synchronized void restart() {
        if (heldPosts > 0) {
            throw new IllegalStateException(heldPosts + " posts still wait for their PubAck");
        }
        open.clear();
        watermark = NONE;
        lastStarted = NONE;
    }

    private Frame find(long seq) {
        // Acks come almost always for the oldest open frames, and started/finished for the newest.
        if (!open.isEmpty() && open.peekLast().seq == seq) {
            return open.peekLast();
        }
        for (Frame frame : open) {
            if (frame.seq == seq) {
                return frame;
            }
        }
        throw new IllegalStateException("frame " + seq + " is not open");
    }

    private void advance() {
        while (!open.isEmpty()) {
            Frame oldest = open.peekFirst();
            if (!oldest.finished || oldest.held > 0) {
                return;
            }
            open.removeFirst();
            watermark = oldest.seq;
        }
    }

    private static final class Frame {
        final long seq;
        int held;
        boolean finished;

        Frame(long seq) {
            this.seq = seq;
        }
    }
}
