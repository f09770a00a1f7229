package dev.firehose.ingest.delivery;

import dev.firehose.ingest.atproto.Post;

/**
 * Where input the pipeline gives up on goes besides the log and the counters: nowhere, or a dead-letter subject
 * ({@code NATS_DLQ_SUBJECT}). Fire-and-forget: a dead letter is a diagnostic and never holds the pipeline.
 */
public interface DeadLetters {

    DeadLetters NONE = new DeadLetters() {
        @Override
        public void frame(byte[] frame, String reason, long position) {
        }

        @Override
        public void post(Post post, String stage, String reason) {
        }
    };

    /** A frame that could not be decoded or processed, raw; {@code position} is -1 when unknown. */
    void frame(byte[] frame, String reason, long position);

    /** A post that failed at {@code stage} (see {@code PostFailures}) and will not be published. */
    void post(Post post, String stage, String reason);
}
