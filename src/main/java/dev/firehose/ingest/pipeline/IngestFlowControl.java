package dev.firehose.ingest.pipeline;

import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

import dev.firehose.ingest.delivery.CursorCheckpointer;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.relay.RelayFlowControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source is read once NATS is set up and resumes from the watermark (for Jetstream a little before it,
 * {@link #JETSTREAM_REWIND_MICROS}). A FutureCursor reset ({@link RelayErrorPolicy}) is carried out here, before a
 * connect, once no post is held: the watermark forgets the old relay's seqs and the next connect is live.
 */
public final class IngestFlowControl implements RelayFlowControl {

    /**
     * How far before its cursor a Jetstream connection resumes, in microseconds of {@code time_us} (5 s). Jetstream
     * instances are not in lockstep: each stamps an event with the time it saw it, so another instance (a restart
     * after changing JETSTREAM_URL, a failover behind one name) may have stamped an event we never got slightly below
     * our cursor. On a restart those 5 s are taken again and their posts published again, which the stream's
     * duplicate window drops (Nats-Msg-Id); within a run, events before the last one decoded are skipped as replays.
     */
    public static final long JETSTREAM_REWIND_MICROS = 5_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(IngestFlowControl.class);

    private final DeliveryWatermark watermark;
    private final CursorCheckpointer checkpointer;
    private final RelayErrorPolicy relayErrors;
    private final BooleanSupplier natsReady;
    private final long rewind;

    /** @param rewind how far before the watermark to connect: 0 for the relay, {@link #JETSTREAM_REWIND_MICROS} */
    public IngestFlowControl(DeliveryWatermark watermark, CursorCheckpointer checkpointer,
                             RelayErrorPolicy relayErrors, BooleanSupplier natsReady, long rewind) {
        this.watermark = watermark;
        this.rewind = rewind;
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
        return cursor == DeliveryWatermark.NONE ? OptionalLong.empty() : OptionalLong.of(rewound(cursor, rewind));
    }

    /** Where a source that resumes {@code rewind} before its cursor starts for {@code position}: never below 0. */
    public static long rewound(long position, long rewind) {
        return Math.max(0, position - rewind);
    }
}
