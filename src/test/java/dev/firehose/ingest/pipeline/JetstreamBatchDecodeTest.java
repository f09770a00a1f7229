package dev.firehose.ingest.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.atproto.PostDelete;
import dev.firehose.ingest.delivery.DeadLetters;
import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.delivery.FrameBatch;
import dev.firehose.ingest.delivery.PostDeletes;
import dev.firehose.ingest.delivery.PostOrigins;
import dev.firehose.ingest.jetstream.JetstreamDecoder;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.JetstreamCorpus;
import dev.firehose.ingest.testsupport.JetstreamWireEvent;
import dev.firehose.ingest.testsupport.RepoRecords;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 on the batched path (rules D1, D3): one batch mixing text (plain) and binary (zstd) Jetstream events is
 * decoded event by event by its own message type; every post's origin is its own event's ticket, every post delete is
 * handed over with its own event's ticket (held against it until the PubAck), and each event gets its
 * {@code time_us}.
 */
class JetstreamBatchDecodeTest {

    private record Handed(PostDelete delete, DeliveryWatermark.Frame frame) {
    }

    @Test
    void aMixedBatchDecodesEachEventByItsTypeAndTiesPostsAndDeletesToTheirOwnFrames() throws Exception {
        List<JetstreamWireEvent> events = JetstreamCorpus.posts(60, 11).events();
        IngestMetrics metrics = new IngestMetrics();
        DeliveryWatermark watermark = new DeliveryWatermark(1_000, 1_000, true);
        List<Handed> deletes = new ArrayList<>();
        PostDeletes recorder = (delete, frame) -> deletes.add(new Handed(delete, frame));
        List<DeliveryWatermark.Frame> tickets = new ArrayList<>();
        FrameBatch batch = new FrameBatch(events.size());
        for (int i = 0; i < events.size(); i++) {
            boolean text = i % 2 == 0;
            DeliveryWatermark.Frame ticket = watermark.frameStarted();
            tickets.add(ticket);
            batch.add(events.get(i).message(!text), text, ticket);
        }

        try (DefaultCamelContext camel = new DefaultCamelContext();
             JetstreamDecodeProcessor decode = new JetstreamDecodeProcessor(JetstreamDecoder.builder()
                     .recordsOf(Set.of(JetstreamDecodeProcessor.POSTS)).build(), watermark, metrics,
                     DeadLetters.NONE, recorder)) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(batch);
            decode.process(exchange);

            @SuppressWarnings("unchecked")
            List<Post> posts = exchange.getMessage().getBody(List.class);
            PostOrigins origins = exchange.getProperty(PostOrigins.PROPERTY, PostOrigins.class);
            List<DeliveryWatermark.Frame> createTickets = new ArrayList<>();
            List<DeliveryWatermark.Frame> deleteTickets = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                JetstreamWireEvent event = events.get(i);
                if (RepoRecords.POST.equals(event.collection()) && "create".equals(event.operation())) {
                    createTickets.add(tickets.get(i));
                } else if (RepoRecords.POST.equals(event.collection()) && "delete".equals(event.operation())) {
                    deleteTickets.add(tickets.get(i));
                }
            }
            assertThat(createTickets).isNotEmpty();
            assertThat(deleteTickets).isNotEmpty();
            assertThat(posts).hasSameSizeAs(createTickets);
            for (int k = 0; k < posts.size(); k++) {
                assertThat(origins.frameOf(posts.get(k))).as("post %d", k).isSameAs(createTickets.get(k));
            }
            assertThat(deletes).extracting(Handed::frame).containsExactlyElementsOf(deleteTickets);
            assertThat(metrics.count(IngestMetrics.MALFORMED_FRAMES)).isZero();
            assertThat(watermark.lastDecoded()).isEqualTo(events.get(events.size() - 1).timeUs());
            watermark.framesFinished(batch);
            assertThat(watermark.watermark()).isEqualTo(events.get(events.size() - 1).timeUs());
        }
    }
}
