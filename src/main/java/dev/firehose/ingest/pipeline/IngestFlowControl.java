package dev.firehose.ingest.pipeline;

import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

import dev.firehose.ingest.delivery.CursorCheckpointer;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.relay.RelayFlowControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay is read once NATS is set up and resumes from the watermark. A FutureCursor reset
 * ({@link RelayErrorPolicy}) is carried out here, before a connect, once no post is held: the watermark forgets the
 * old relay's seqs and the next connect is live.
 */
public final class IngestFlowControl implements RelayFlowControl {

    private static final Logger LOG = LoggerFactory.getLogger(IngestFlowControl.class);

    private final DeliveryWatermark watermark;
    private final CursorCheckpointer checkpointer;
    private final RelayErrorPolicy relayErrors;
    private final BooleanSupplier natsReady;

    public IngestFlowControl(DeliveryWatermark watermark, CursorCheckpointer checkpointer,
                             RelayErrorPolicy relayErrors, BooleanSupplier natsReady) {
        this.watermark = watermark;
        this.checkpointer = checkpointer;
        this.relayErrors = relayErrors;
        this.natsReady = natsReady;
    }

    @Override
    public boolean ready() {
        return natsReady.getAsBoolean() && !(relayErrors.resetRequested() && watermark.heldPosts() > 0);
    }

    @Override
    public OptionalLong resumeCursor() {
        if (relayErrors.resetRequested() && watermark.heldPosts() == 0) {
            LOG.warn("Forgetting cursor {} after FutureCursor: connecting live", watermark.watermark());
            watermark.restart();
            checkpointer.restart();
            relayErrors.resetDone();
        }
        long cursor = watermark.watermark();
        return cursor == DeliveryWatermark.NONE ? OptionalLong.empty() : OptionalLong.of(cursor);
    }
}
