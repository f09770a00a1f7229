package dev.firehose.ingest.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The frame lifecycle in the watermark, case by case (rules D1, D3, D5 of docs/invariants.md). */
class DeliveryWatermarkTest {

    private static final long NONE = DeliveryWatermark.NONE;

    private final DeliveryWatermark w = new DeliveryWatermark(10, 100);

    /** D1: a frame without posts moves the watermark once it is finished, not before. */
    @Test
    void framesWithoutPostsMoveTheWatermarkWhenFinished() {
        DeliveryWatermark.Frame f = w.frameStarted();
        assertThat(w.frameDecoded(f, 10)).isTrue();
        assertThat(w.watermark()).isEqualTo(NONE);
        w.frameFinished(f);
        assertThat(w.watermark()).isEqualTo(10);
    }

    /** D1: a held post holds back its frame and every later one, until its PubAck. */
    @Test
    void aHeldPostHoldsBackItsFrameAndEveryLaterFrame() {
        w.resumeFrom(5);
        DeliveryWatermark.Frame six = frame(6);
        w.postHeld(six);
        w.frameFinished(six);
        DeliveryWatermark.Frame seven = frame(7);
        w.frameFinished(seven);
        DeliveryWatermark.Frame eight = frame(8);
        w.postHeld(eight);
        w.frameFinished(eight);
        assertThat(w.watermark()).isEqualTo(5);
        assertThat(w.heldPosts()).isEqualTo(2);

        w.postAcked(six);
        assertThat(w.watermark()).isEqualTo(7);
        w.postFailed(eight);
        assertThat(w.watermark()).isEqualTo(8);
        assertThat(w.heldPosts()).isZero();
        assertThat(w.openFrames()).isZero();
    }

    /** D1: a frame whose exchange is still running holds the watermark even when its posts are acked. */
    @Test
    void anUnfinishedFrameHoldsTheWatermarkEvenWhenItsPostsAreAcked() {
        DeliveryWatermark.Frame f = frame(1);
        w.postHeld(f);
        w.postAcked(f);
        assertThat(w.watermark()).isEqualTo(NONE);
        w.frameFinished(f);
        assertThat(w.watermark()).isEqualTo(1);
    }

    /** D1: a post cannot be held once its frame is finished: the cursor may already have passed it. */
    @Test
    void aPostCannotBeHeldAfterItsFrameFinished() {
        DeliveryWatermark.Frame f = frame(1);
        w.frameFinished(f);
        assertThat(w.postHeld(f)).isFalse();
        assertThat(w.heldPosts()).isZero();
    }

    /** A position not after the last one decoded is a replay: refused, the frame gets none. */
    @Test
    void positionsThatDoNotMoveForwardAreRefused() {
        w.resumeFrom(100);
        assertThat(w.frameDecoded(w.frameStarted(), 100)).isFalse();
        assertThat(w.frameDecoded(w.frameStarted(), 99)).isFalse();
        assertThat(w.frameDecoded(w.frameStarted(), 101)).isTrue();
        assertThat(w.frameDecoded(w.frameStarted(), 101)).isFalse();
        assertThat(w.lastDecoded()).isEqualTo(101);
    }

    /** Positions follow the start order: a frame started before the last one decoded gets none. */
    @Test
    void aFrameDecodedOutOfStartOrderIsRefused() {
        DeliveryWatermark.Frame first = w.frameStarted();
        DeliveryWatermark.Frame second = w.frameStarted();
        assertThat(w.frameDecoded(second, 10)).isTrue();
        assertThat(w.frameDecoded(first, 11)).isFalse();
        w.frameFinished(first);
        w.frameFinished(second);
        assertThat(w.watermark()).isEqualTo(10);
    }

    /** D3: a frame without a position (malformed, #info, an error frame) never moves the watermark by itself. */
    @Test
    void aFrameWithoutPositionDoesNotMoveTheWatermark() {
        w.resumeFrom(5);
        DeliveryWatermark.Frame malformed = w.frameStarted();
        w.frameFinished(malformed);
        assertThat(w.watermark()).isEqualTo(5);
        DeliveryWatermark.Frame next = frame(7);
        w.frameFinished(next);
        assertThat(w.watermark()).isEqualTo(7);
    }

    /** Finishing twice (an exchange that completes twice) changes nothing. */
    @Test
    void finishingTwiceIsHarmless() {
        DeliveryWatermark.Frame f = frame(3);
        w.postHeld(f);
        w.frameFinished(f);
        w.frameFinished(f);
        w.postAcked(f);
        assertThat(w.watermark()).isEqualTo(3);
        assertThatThrownBy(() -> w.postAcked(f)).isInstanceOf(IllegalStateException.class);
    }

    /** D5: no capacity at the held-post limit; the listener runs once the held posts are back to 90 %. */
    @Test
    void capacityIsLostAtTheLimitAndTheListenerRunsAtNinetyPercent() {
        DeliveryWatermark big = new DeliveryWatermark(20, 100);
        DeliveryWatermark.Frame f = big.frameStarted();
        for (int i = 0; i < 20; i++) {
            big.postHeld(f);
        }
        assertThat(big.hasCapacity()).isFalse();
        int[] calls = {0};
        big.onCapacity(() -> calls[0]++);
        big.postAcked(f);
        assertThat(big.hasCapacity()).isTrue();
        assertThat(calls[0]).as("at 95 %, not yet").isZero();
        big.postAcked(f);
        assertThat(calls[0]).as("at 90 %").isEqualTo(1);
        big.postAcked(f);
        assertThat(calls[0]).as("once").isEqualTo(1);
    }

    /** D5: a listener registered when there is room already runs at once (no lost wake-up). */
    @Test
    void aListenerRegisteredWithRoomRunsAtOnce() {
        int[] calls = {0};
        w.onCapacity(() -> calls[0]++);
        assertThat(calls[0]).isEqualTo(1);
    }

    /** D5: open frames count too: frames behind a held post. */
    @Test
    void openFramesBoundTheWatermarkToo() {
        DeliveryWatermark small = new DeliveryWatermark(1_000, 3);
        DeliveryWatermark.Frame first = small.frameStarted();
        small.postHeld(first);
        small.frameFinished(first);
        small.frameFinished(small.frameStarted());
        small.frameFinished(small.frameStarted());
        assertThat(small.openFrames()).isEqualTo(3);
        assertThat(small.hasCapacity()).isFalse();
        small.postAcked(first);
        assertThat(small.openFrames()).isZero();
        assertThat(small.hasCapacity()).isTrue();
    }

    @Test
    void restartForgetsThePositionsOnceDrained() {
        DeliveryWatermark.Frame f = frame(100);
        w.postHeld(f);
        w.frameFinished(f);
        assertThatThrownBy(w::restart).isInstanceOf(IllegalStateException.class);
        w.postAcked(f);
        w.restart();
        assertThat(w.watermark()).isEqualTo(NONE);
        assertThat(w.frameDecoded(w.frameStarted(), 5)).isTrue();
    }

    /**
     * D1, D4 for Jetstream: events of one commit can share a time_us, so with repeating positions a frame at the last
     * position decoded is taken (its post would be lost otherwise), and only one before it is a replay.
     */
    @Test
    void whenPositionsMayRepeatOnlyAnEarlierPositionIsAReplay() {
        DeliveryWatermark jetstream = new DeliveryWatermark(10, 100, true);
        jetstream.resumeFrom(100);
        DeliveryWatermark.Frame replayed = jetstream.frameStarted();
        assertThat(jetstream.frameDecoded(replayed, 99)).isFalse();
        jetstream.frameFinished(replayed);
        DeliveryWatermark.Frame first = jetstream.frameStarted();
        assertThat(jetstream.frameDecoded(first, 100)).isTrue();
        DeliveryWatermark.Frame sibling = jetstream.frameStarted();
        assertThat(jetstream.frameDecoded(sibling, 100)).isTrue();
        assertThat(jetstream.postHeld(sibling)).isTrue();
        jetstream.frameFinished(first);
        jetstream.frameFinished(sibling);
        assertThat(jetstream.watermark()).isEqualTo(100);
        assertThat(jetstream.frameDecoded(jetstream.frameStarted(), 101)).isTrue();
        jetstream.postAcked(sibling);
        assertThat(jetstream.watermark()).isEqualTo(100);
    }

    /**
     * D1 on a rewound resume (Jetstream resumes 5 s before its cursor): the frames between are taken again, and the
     * watermark stays at the stored cursor until a frame after it is done; it never goes back.
     */
    @Test
    void aRewoundResumeTakesTheFramesBetweenAgainWithoutMovingTheWatermarkBack() {
        w.resumeFrom(100, 95);
        DeliveryWatermark.Frame replayed = w.frameStarted();
        assertThat(w.frameDecoded(replayed, 95)).as("at or before the replay point").isFalse();
        w.frameFinished(replayed);
        DeliveryWatermark.Frame again = frame(97);
        w.postHeld(again);
        w.frameFinished(again);
        DeliveryWatermark.Frame stored = frame(100);
        w.frameFinished(stored);
        assertThat(w.watermark()).isEqualTo(100);
        w.postAcked(again);
        assertThat(w.watermark()).as("never back below the stored cursor").isEqualTo(100);
        w.frameFinished(frame(103));
        assertThat(w.watermark()).isEqualTo(103);
        assertThatThrownBy(() -> w.resumeFrom(200)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new DeliveryWatermark(1, 1).resumeFrom(5, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private DeliveryWatermark.Frame frame(long position) {
        DeliveryWatermark.Frame f = w.frameStarted();
        assertThat(w.frameDecoded(f, position)).isTrue();
        return f;
    }
}
