package dev.firehose.ingest.pipeline;

import org.apache.camel.Processor;

/**
 * A source's decode step, the route's first: {@link FrameDecodeProcessor} ({@code frameDecoder}, the relay) or
 * {@link JetstreamDecodeProcessor} ({@code jetstreamDecoder}), both {@link FrameBatchProcessor}s. A batch of frames
 * in, the posts they create out, each frame's position told to the delivery watermark; and, for the cursor lag, the
 * source's time of the last frame it decoded.
 */
public interface SourceDecoder extends Processor {

    /** The source's time (ISO-8601) of the last frame decoded, or null before the first. */
    String lastEventTime();
}
