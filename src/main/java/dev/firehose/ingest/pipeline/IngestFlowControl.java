package dev.firehose.ingest.pipeline;

import java.util.OptionalLong;

import dev.firehose.ingest.relay.RelayFlowControl;

/** The relay resumes from the watermark and may read while fewer than {@code maxPendingPosts} await a PubAck. */
public final class IngestFlowControl implements RelayFlowControl {

    private final DeliveryWatermark watermark;
    private final long maxPendingPosts;

    public IngestFlowControl(DeliveryWatermark watermark, long maxPendingPosts) {
        this.watermark = watermark;
        this.maxPendingPosts = maxPendingPosts;
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
