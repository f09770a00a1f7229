package dev.firehose.ingest.delivery;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The exact meaning of the firehose cursor (docs/invariants.md, rule D1): {@link #watermark()} is the highest position
 * P such that every frame received up to the frame at P is finished and every post it held is acked or failed.
 *
 * <p>A position is the source's cursor value: the relay's {@code seq}, or Jetstream's {@code time_us}. A frame's
 * life, in the words used everywhere in this project:
 * <ul>
 * <li><b>started</b> by the websocket consumer when it receives the frame, in the order the source sent them
 * ({@link #frameStarted});</li>
 * <li><b>decoded</b> when the decoder read its position ({@link #frameDecoded}); only frames that decoded completely
 * get one, so a malformed frame never moves the cursor by itself (rule D3), and a position not after the last one
 * decoded is refused, the frame being a replay;</li>
 * <li>each accepted post is <b>held</b> while it waits for its PubAck ({@link #postHeld});</li>
 * <li><b>finished</b> by the consumer when the frame's exchange is done, however it ended ({@link #frameFinished});</li>
 * <li>each held post is then <b>acked</b> by its PubAck ({@link #postAcked}), or <b>failed</b> when it can never be
 * published and was counted and dead-lettered instead ({@link #postFailed}).</li>
 * </ul>
 * The watermark moves over the longest prefix of frames that are finished and hold no post, to the position of the
 * last positioned frame in it (never back: frames re-read after a rewound resume, see {@link #resumeFrom(long, long)},
 * leave it where it is).
 *
 * <p>Positions of one source either strictly increase (the relay's seq) or may repeat
 * ({@code positionsMayRepeat}: Jetstream's {@code time_us}, which the events of one commit can share); then only a
 * position before the last one decoded is a replay, and a frame at the same position is taken.
 *
 * <p>It also bounds memory (rule D5): {@link #hasCapacity()} is false while {@code maxHeldPosts} posts are held or
 * {@code maxOpenFrames} frames are open, and the consumer then pauses its socket until the listener given to
 * {@link #onCapacity} is called.
 *
 * <p>Thread-safe: frames are started, decoded and finished on the consumer's thread, posts acked on NATS threads.
 */
public final class DeliveryWatermark {

    /** No position: nothing stored yet and nothing decoded. */
    public static final long NONE = -1;

    /** One frame between started and durable. Its fields are guarded by the watermark. */
    public static final class Frame {
        private final long ordinal;
        private long position = NONE;
        private int held;
        private boolean finished;

        private Frame(long ordinal) {
            this.ordinal = ordinal;
        }
    }

    /** Told once after each frame finishes (the cursor checkpointer counts them). */
    @FunctionalInterface
    public interface FinishListener {
        void frameFinished();
    }

    private final long maxHeldPosts;
    private final int maxOpenFrames;
    private final boolean positionsMayRepeat;
    private final Deque<Frame> open = new ArrayDeque<>();
    private long watermark;
    private long lastDecoded;
    private long heldPosts;
    private long started;
    private long lastDecodedOrdinal = -1;
    private Runnable capacityListener;
    private volatile FinishListener finishListener = () -> {
    };

    /**
     * @param maxHeldPosts  posts held at once before {@link #hasCapacity()} turns false ({@code MAX_PENDING_POSTS})
     * @param maxOpenFrames frames started and not yet durable at once before it turns false
     */
    public DeliveryWatermark(long maxHeldPosts, int maxOpenFrames) {
        this(maxHeldPosts, maxOpenFrames, false);
    }

    /**
     * @param positionsMayRepeat whether two frames may carry the same position (Jetstream's {@code time_us}): a frame
     *                           at the last position decoded is then taken, not skipped as a replay
     */
    public DeliveryWatermark(long maxHeldPosts, int maxOpenFrames, boolean positionsMayRepeat) {
        if (maxHeldPosts < 1 || maxOpenFrames < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxHeldPosts + ", " + maxOpenFrames);
        }
        this.maxHeldPosts = maxHeldPosts;
        this.maxOpenFrames = maxOpenFrames;
        this.positionsMayRepeat = positionsMayRepeat;
        this.watermark = NONE;
        this.lastDecoded = NONE;
    }

    public void setFinishListener(FinishListener listener) {
        this.finishListener = listener;
    }

    /** Sets where the stream resumes (the stored cursor), before the first frame is read. */
    public void resumeFrom(long position) {
        resumeFrom(position, position);
    }

    /**
     * Sets where the stream resumes, before the first frame is read: the watermark at {@code position} (the stored
     * cursor), and frames after {@code replayFrom} (at most {@code position}) taken again instead of skipped as
     * replays: a source resumed a little before its cursor (Jetstream) publishes those again, and the stream's
     * duplicate window drops what it already has.
     */
    public synchronized void resumeFrom(long position, long replayFrom) {
        if (!open.isEmpty() || lastDecoded != watermark || started > 0) {
            throw new IllegalStateException("frames were already read");
        }
        if (replayFrom > position) {
            throw new IllegalArgumentException("replay from " + replayFrom + " after the resume point " + position);
        }
        watermark = position;
        lastDecoded = replayFrom;
    }

    /** A frame arrived; frames must be started in the order the source sent them. */
    public synchronized Frame frameStarted() {
        Frame frame = new Frame(started++);
        open.addLast(frame);
        return frame;
    }

    /**
     * The decoder read {@code frame}'s position. Returns false, and gives it none, when the position is not after the
     * last one decoded (before it, when positions may repeat): a frame replayed after a reconnect, already accounted
     * for. Positions must follow the order
     * the frames were started in (the consumer runs one frame's exchange at a time), so a frame started before the
     * last one decoded is refused too: its position could not be trusted to lie below the ones after it.
     */
    public synchronized boolean frameDecoded(Frame frame, long position) {
        boolean replay = positionsMayRepeat ? position < lastDecoded : position <= lastDecoded;
        if (replay || frame.ordinal < lastDecodedOrdinal || frame.finished
                || frame.position != NONE) {
            return false;
        }
        lastDecoded = position;
        lastDecodedOrdinal = frame.ordinal;
        frame.position = position;
        return true;
    }

    /**
     * One post of {@code frame} now waits for its PubAck. Returns false when the frame is already finished: the post
     * reached the publisher outside the frame's exchange (a route that sends posts around the aggregate EIP), and the
     * cursor cannot wait for it any more.
     */
    public synchronized boolean postHeld(Frame frame) {
        if (frame.finished) {
            return false;
        }
        frame.held++;
        heldPosts++;
        return true;
    }

    /** The frame's exchange is done: every post of it is held, or will never be. */
    public void frameFinished(Frame frame) {
        Runnable listener;
        synchronized (this) {
            if (frame.finished) {
                return;
            }
            frame.finished = true;
            advance();
            listener = takeCapacityListener();
        }
        finishListener.frameFinished();
        runListener(listener);
    }

    /** The exchange of a batch of frames is done: each of them is finished, under one lock. */
    public void framesFinished(FrameBatch frames) {
        Runnable listener;
        int finished = 0;
        synchronized (this) {
            for (int i = 0; i < frames.size(); i++) {
                Frame frame = frames.ticket(i);
                if (frame != null && !frame.finished) {
                    frame.finished = true;
                    finished++;
                }
            }
            advance();
            listener = takeCapacityListener();
        }
        for (int i = 0; i < finished; i++) {
            finishListener.frameFinished();
        }
        runListener(listener);
    }

    /** A held post of {@code frame} has its PubAck. */
    public void postAcked(Frame frame) {
        release(frame);
    }

    /** A held post of {@code frame} will never be published; it was counted and dead-lettered (rule D2). */
    public void postFailed(Frame frame) {
        release(frame);
    }

    private void release(Frame frame) {
        Runnable listener;
        synchronized (this) {
            if (frame.held <= 0) {
                throw new IllegalStateException("a post released twice, or never held");
            }
            frame.held--;
            heldPosts--;
            advance();
            notifyAll();
            listener = takeCapacityListener();
        }
        runListener(listener);
    }

    public synchronized long watermark() {
        return watermark;
    }

    /** The position of the newest frame decoded, or the resume point when none was. */
    public synchronized long lastDecoded() {
        return lastDecoded;
    }

    /** Posts held: accepted and waiting for their PubAck. */
    public synchronized long heldPosts() {
        return heldPosts;
    }

    /** Frames started and not yet durable. */
    public synchronized int openFrames() {
        return open.size();
    }

    /** False while the pipeline holds as many posts or open frames as it may: the consumer stops reading. */
    public synchronized boolean hasCapacity() {
        return heldPosts < maxHeldPosts && open.size() < maxOpenFrames;
    }

    /**
     * Calls {@code listener} once, from whichever thread releases enough, when the held posts and open frames are
     * back under 90 % of their limits. The caller checks {@link #hasCapacity()} again after registering, so that a
     * release between its check and this call is not missed.
     */
    public void onCapacity(Runnable listener) {
        Runnable now;
        synchronized (this) {
            capacityListener = listener;
            now = takeCapacityListener();
        }
        runListener(now);
    }

    /** Blocks until no post is held (or the timeout passes); true when drained. */
    public synchronized boolean awaitDrained(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (heldPosts > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /**
     * Forgets the position space: the next frame may have any position. Used when the relay has no events at our
     * cursor (FutureCursor, e.g. after switching relays) and the operator chose to start live. Only valid when no post
     * is held and no frame is being processed.
     */
    public synchronized void restart() {
        if (heldPosts > 0) {
            throw new IllegalStateException(heldPosts + " posts still wait for their PubAck");
        }
        open.clear();
        watermark = NONE;
        lastDecoded = NONE;
        lastDecodedOrdinal = -1;
    }

    private void advance() {
        while (!open.isEmpty()) {
            Frame oldest = open.peekFirst();
            if (!oldest.finished || oldest.held > 0) {
                return;
            }
            open.removeFirst();
            if (oldest.position != NONE && oldest.position > watermark) {
                watermark = oldest.position;
            }
        }
    }

    private Runnable takeCapacityListener() {
        Runnable listener = capacityListener;
        if (listener == null || heldPosts * 10 > maxHeldPosts * 9L || open.size() * 10L > maxOpenFrames * 9L) {
            return null;
        }
        capacityListener = null;
        return listener;
    }

    private static void runListener(Runnable listener) {
        if (listener != null) {
            listener.run();
        }
    }
}
