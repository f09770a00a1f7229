package dev.firehose.ingest.pipeline;

import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

import dev.firehose.ingest.relay.RelayFlowControl;

/**
 * The relay is read once NATS is set up, resumes from the watermark, and may read while fewer than
 * {@code maxPendingPosts} posts await a PubAck.
 */
public final class IngestFlowControl implements RelayFlowControl {

    private final DeliveryWatermark watermark;
    private final long maxPendingPosts;
    private final BooleanSupplier ready;

    public IngestFlowControl(DeliveryWatermark watermark, long maxPendingPosts, BooleanSupplier ready) {
        this.watermark = watermark;
        this.maxPendingPosts = maxPendingPosts;
        this.ready = ready;
    }

    @Override
    public boolean ready() {
        return ready.getAsBoolean();
    }

    @Override
    public OptionalLong resumeCursor() {
        long cursor = watermark.watermark();
        return cursor == DeliveryWatermark.NONE ? OptionalLong.empty() : OptionalLong.of(cursor);
    }

    @Override
    public boolean awaitCapacity(long timeoutMillis) throws InterruptedException {
        return watermark.awaitCapacity(maxPendingPosts, timeoutMillis);
    }
}
