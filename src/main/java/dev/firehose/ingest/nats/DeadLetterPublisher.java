package dev.firehose.ingest.nats;

import java.util.function.Supplier;

import dev.firehose.ingest.atproto.MalformedFrameException;
import dev.firehose.ingest.pipeline.BadFrameSink;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes malformed frames, raw, to a core NATS subject outside the posts stream ({@code NATS_DLQ_SUBJECT}),
 * with the reason and seq as headers, so they can be captured and examined. Fire-and-forget: a dead letter is
 * a diagnostic and never holds the pipeline.
 */
public final class DeadLetterPublisher implements BadFrameSink {

    public static final String REASON_HEADER = "Firehose-Error-Reason";
    public static final String SEQ_HEADER = "Firehose-Seq";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Supplier<Connection> connection;
    private final String subject;

    public DeadLetterPublisher(Supplier<Connection> connection, String subject) {
        this.connection = connection;
        this.subject = subject;
    }

    @Override
    public void accept(byte[] frame, MalformedFrameException error) {
        Headers headers = new Headers()
                .add(REASON_HEADER, error.reason().name())
                .add(SEQ_HEADER, Long.toString(error.seq()));
        try {
            connection.get().publish(subject, headers, frame);
        } catch (RuntimeException e) {
            LOG.warn("Could not publish a malformed frame to {}: {}", subject, e.toString());
        }
    }
}
