package dev.firehose.ingest.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryWatermarkTest {

    @Test
    void framesWithoutPostsMoveTheWatermarkWhenFinished() {
        DeliveryWatermark w = new DeliveryWatermark(DeliveryWatermark.NONE);
        assertThat(w.frameStarted(10)).isTrue();
        assertThat(w.watermark()).isEqualTo(DeliveryWatermark.NONE);
        w.frameFinished(10);
        assertThat(w.watermark()).isEqualTo(10);
    }

    @Test
    void aHeldPostHoldsBackItsFrameAndEveryLaterFrame() {
        DeliveryWatermark w = new DeliveryWatermark(5);
        w.frameStarted(6);
        w.postHeld(6);
        w.frameFinished(6);
        w.frameStarted(7);
        w.frameFinished(7);
        w.frameStarted(8);
        w.postHeld(8);
        w.frameFinished(8);
        assertThat(w.watermark()).isEqualTo(5);
        assertThat(w.heldPosts()).isEqualTo(2);

        w.postAcked(6);
        assertThat(w.watermark()).isEqualTo(7);
        w.postAcked(8);
        assertThat(w.watermark()).isEqualTo(8);
        assertThat(w.heldPosts()).isZero();
    }

    @Test
    void anUnfinishedFrameHoldsTheWatermarkEvenWhenItsPostsAreAcked() {
        DeliveryWatermark w = new DeliveryWatermark(DeliveryWatermark.NONE);
        w.frameStarted(1);
        w.postHeld(1);
        w.postAcked(1);
        assertThat(w.watermark()).isEqualTo(DeliveryWatermark.NONE);
        w.frameFinished(1);
        assertThat(w.watermark()).isEqualTo(1);
    }

    @Test
    void framesThatDoNotMoveForwardAreRefused() {
        DeliveryWatermark w = new DeliveryWatermark(100);
        assertThat(w.frameStarted(100)).isFalse();
        assertThat(w.frameStarted(99)).isFalse();
        assertThat(w.frameStarted(101)).isTrue();
        assertThat(w.frameStarted(101)).isFalse();
        assertThat(w.lastStarted()).isEqualTo(101);
    }

    @Test
    void awaitCapacityWaitsForAcks() throws Exception {
        DeliveryWatermark w = new DeliveryWatermark(DeliveryWatermark.NONE);
        w.frameStarted(1);
        w.postHeld(1);
        w.postHeld(1);
        assertThat(w.awaitCapacity(2, 50)).isFalse();
        Thread acker = new Thread(() -> w.postAcked(1));
        acker.start();
        assertThat(w.awaitCapacity(2, 5_000)).isTrue();
        acker.join();
    }
}
