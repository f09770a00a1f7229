package dev.firehose.ingest.nats;

import java.util.function.Supplier;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.LogThrottle;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the pipeline gives up on to a core NATS subject outside the posts stream ({@code NATS_DLQ_SUBJECT}):
 * malformed or failed frames raw, failed posts as their JSON, with the reason (and the seq, or the stage) as headers,
 * so they can be captured and examined. Fire-and-forget: a dead letter is a diagnostic and never holds the pipeline.
 */
public final class DeadLetterPublisher implements DeadLetters {

    public static final String REASON_HEADER = "Firehose-Error-Reason";
    public static final String SEQ_HEADER = "Firehose-Seq";
    public static final String STAGE_HEADER = "Firehose-Failed-Stage";
    /** A reason is an exception's text: kept short, and on one line (header values cannot hold CR or LF). */
    private static final int MAX_REASON_CHARS = 512;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Supplier<Connection> connection;
    private final String subject;
    private final PostMessages messages;
    private final LogThrottle failureLog = new LogThrottle(5, 60_000);

    public DeadLetterPublisher(Supplier<Connection> connection, String subject, PostMessages messages) {
        this.connection = connection;
        this.subject = subject;
        this.messages = messages;
    }

    @Override
    public void frame(byte[] frame, String reason, long position) {
        send(new Headers().add(REASON_HEADER, headerValue(reason)).add(SEQ_HEADER, Long.toString(position)),
                frame == null ? new byte[0] : frame);
    }

    @Override
    public void post(Post post, String stage, String reason) {
        byte[] payload;
        try {
            payload = messages.payload(post);
        } catch (IllegalArgumentException e) {
            payload = post.uri().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        send(new Headers().add(REASON_HEADER, headerValue(reason)).add(STAGE_HEADER, stage), payload);
    }

    private void send(Headers headers, byte[] data) {
        try {
            Connection conn = connection.get();
            if (conn == null) {
                throw new IllegalStateException("NATS not connected");
            }
            conn.publish(subject, headers, data);
        } catch (RuntimeException e) {
            long suppressed = failureLog.admit();
            if (suppressed >= 0) {
                LOG.warn("Could not publish a dead letter to {}: {}{}", subject, e.toString(),
                        LogThrottle.suffix(suppressed));
            }
        }
    }

    /** Printable ASCII only, bounded: the reason comes from an exception and may hold anything. */
    static String headerValue(String reason) {
        String text = reason == null ? "" : reason;
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON_CHARS));
        for (int i = 0; i < text.length() && out.length() < MAX_REASON_CHARS; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
