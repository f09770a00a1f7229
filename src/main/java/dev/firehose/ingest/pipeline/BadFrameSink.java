package dev.firehose.ingest.pipeline;

import dev.firehose.ingest.atproto.MalformedFrameException;

/** Where a malformed frame goes besides the log and the counter: nowhere, or a dead-letter subject. */
@FunctionalInterface
public interface BadFrameSink {

    BadFrameSink NONE = (frame, error) -> {
    };

    void accept(byte[] frame, MalformedFrameException error);
}
