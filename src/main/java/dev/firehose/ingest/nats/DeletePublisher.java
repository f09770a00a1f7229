package dev.firehose.ingest.nats;

import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.firehose.ingest.atproto.PostDelete;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.LogThrottle;
import dev.firehose.ingest.delivery.PostDeletes;
import dev.firehose.ingest.metrics.IngestMetrics;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes post deletes ({@code PUBLISH_DELETES}) into the posts stream, on {@code NATS_DELETE_SUBJECT}, outside the
 * posts' {@code NATS_SUBJECT.>} (consumers of the posts never receive them): the JSON of {@link PostDelete} with
 * {@code Nats-Msg-Id = delete:<post uri>}. They leave from the decode step, inside their frame's exchange, and keep
 * the delivery promise of a post: held against the frame until the PubAck (rule D1), sent again by the
 * {@link JetStreamPublisher} until then (rule D2), released and counted if the server can never take one.
 * Counted in {@code firehose_deletes_published_total} and {@code firehose_deletes_failed_total}.
 */
public final class DeletePublisher implements PostDeletes {

    public static final String MSG_ID_PREFIX = "delete:";

    private static final Logger LOG = LoggerFactory.getLogger(DeletePublisher.class);

    private final JetStreamPublisher publisher;
    private final DeliveryWatermark watermark;
    private final String subject;
    private final ObjectWriter json;
    private final LongAdder published;
    private final LongAdder failed;
    private final LogThrottle failureLog = new LogThrottle(10, 10_000);

    public DeletePublisher(JetStreamPublisher publisher, DeliveryWatermark watermark, String subject,
                           ObjectMapper mapper, IngestMetrics metrics) {
        this.publisher = publisher;
        this.watermark = watermark;
        this.subject = subject;
        this.json = mapper.writerFor(PostDelete.class);
        this.published = metrics.counter(IngestMetrics.DELETES_PUBLISHED);
        this.failed = metrics.counter(IngestMetrics.DELETES_FAILED);
    }

    @Override
    public void deleted(PostDelete delete, DeliveryWatermark.Frame frame) {
        DeliveryWatermark.Frame held = frame != null && watermark.postHeld(frame) ? frame : null;
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(delete);
        } catch (JsonProcessingException e) {
            failed(delete, held, e);
            return;
        }
        // publishHeld: the decode step runs on the event loop, which must never wait for the window; the delete is
        // held in the watermark, which bounds how many there are (rule D5).
        publisher.publishHeld(subject, new Headers().put(PostMessages.MSG_ID, MSG_ID_PREFIX + delete.uri()), payload,
                new JetStreamPublisher.Outcome() {
                    @Override
                    public void acked(boolean duplicate) {
                        published.increment();
                        if (held != null) {
                            watermark.postAcked(held);
                        }
                    }

                    @Override
                    public void failed(Throwable permanent) {
                        DeletePublisher.this.failed(delete, held, permanent);
                    }
                });
    }

    /** Never publishable (too large, an invalid subject or header): released, so the cursor moves on (rule D2). */
    private void failed(PostDelete delete, DeliveryWatermark.Frame held, Throwable cause) {
        if (held != null) {
            watermark.postFailed(held);
        }
        failed.increment();
        long suppressed = failureLog.admit();
        if (suppressed >= 0) {
            LOG.warn("Delete of {} will not be published: {}{}", delete.uri(), cause, LogThrottle.suffix(suppressed));
        }
    }
}
