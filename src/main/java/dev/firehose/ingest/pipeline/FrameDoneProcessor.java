package dev.firehose.ingest.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Last step for a frame: its posts are all in a batch or filtered out, so the frame stops holding the cursor. */
public final class FrameDoneProcessor implements Processor {

    private final DeliveryWatermark watermark;
    private final CursorCheckpointer checkpointer;

    public FrameDoneProcessor(DeliveryWatermark watermark, CursorCheckpointer checkpointer) {
        this.watermark = watermark;
        this.checkpointer = checkpointer;
    }

    @Override
    public void process(Exchange exchange) {
        Long seq = exchange.getProperty(FrameDecodeProcessor.FRAME_SEQ, Long.class);
        if (seq != null) {
            watermark.frameFinished(seq);
            checkpointer.frameFinished();
        }
    }
}
