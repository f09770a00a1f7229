package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.jetstream.MalformedEventException;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.ExpectedJetstreamPost;
import dev.firehose.ingest.testsupport.JetstreamCorpus;
import dev.firehose.ingest.testsupport.JetstreamWireEvent;
import dev.firehose.ingest.testsupport.JetstreamWireEvents;
import dev.firehose.ingest.testsupport.RepoRecords;
import org.junit.jupiter.api.Test;

import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.BAD_COMPRESSION;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.BAD_EVENT;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.NOT_JSON;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.UNKNOWN_KIND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, the Jetstream source in one uninterrupted run, plain ({@link PlainJetstreamIngestTest}) and compressed
 * ({@link CompressedJetstreamIngestTest}) alike: events from the real fixture records, with bad events of every kind
 * between them, and posts that share their {@code time_us} with the event before. The stream holds exactly the
 * accepted posts (same fields and subjects as the relay path, {@code seq} null, {@code time} from {@code time_us}),
 * the stored cursor under {@code <SERVICE_NAME>.jetstream} is the last event's {@code time_us}, and each bad event is
 * counted under its reason and skipped: rules D1, D3 (a malformed event claiming a far-future {@code time_us} does not
 * make the events after it replays), D4 (an event at the last {@code time_us} decoded is no replay) and D7.
 */
abstract class JetstreamIngestTest extends JetstreamEndToEndSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2100-01-01 in microseconds: what a broken event claims. */
    private static final long FAR_FUTURE_TIME_US = 4_102_444_800_000_000L;

    private final Map<MalformedEventException.Reason, Integer> malformed = new HashMap<>();
    private final List<ExpectedJetstreamPost> posts = new ArrayList<>();
    private int goodEvents;
    private int ties;
    private long lastTimeUs;

    @Override
    protected JetstreamCorpus buildCorpus() {
        JetstreamCorpus good = JetstreamCorpus.posts(EVENTS, 7);
        Map<String, ExpectedJetstreamPost> postByRkey = new HashMap<>();
        good.posts().forEach(post -> postByRkey.put(post.rkey(), post));
        List<JetstreamWireEvent> events = new ArrayList<>();
        List<String> bad = badEvents();
        int nextBad = 0;
        for (int i = 0; i < good.events().size(); i++) {
            JetstreamWireEvent event = good.events().get(i);
            JetstreamWireEvent previous = i == 0 ? null : good.events().get(i - 1);
            if (i % 200 == 0 && isPostCreate(event) && previous != null && isPostCreate(previous)) {
                // two posts of one commit: Jetstream may stamp them with the same time_us
                event = JetstreamWireEvents.at(event, events.get(events.size() - 1).timeUs());
                ties++;
            }
            events.add(event);
            if (isPostCreate(event)) {
                posts.add(postByRkey.get(event.rkey()).at(event.timeUs()));
            }
            if (i % 250 == 125 && nextBad < bad.size()) {
                events.add(bad(bad.get(nextBad++), event.timeUs() + 1, good.events().get(i + 1)));
            }
        }
        assertThat(nextBad).as("every bad event placed").isEqualTo(bad.size());
        goodEvents = good.events().size();
        lastTimeUs = events.get(events.size() - 1).timeUs();
        return new JetstreamCorpus(good.mix(), List.copyOf(events), List.copyOf(posts));
    }

    private static boolean isPostCreate(JetstreamWireEvent event) {
        return "create".equals(event.operation()) && RepoRecords.POST.equals(event.collection());
    }

    /** The bad events, each a name for {@link #bad}. */
    private List<String> badEvents() {
        return List.of("truncated", "unknown kind", "no did", "far-future create without record",
                "not a post", "not zstd");
    }

    /** The bad event {@code name} at {@code timeUs}; {@code realEvent} lends its fields where needed. */
    private JetstreamWireEvent bad(String name, long timeUs, JetstreamWireEvent realEvent) {
        String did = "\"did\":\"did:plc:badevents000000000000000\"";
        switch (name) {
            case "truncated" -> {
                malformed.merge(NOT_JSON, 1, Integer::sum);
                return JetstreamWireEvents.message(timeUs, "{" + did + ",\"time_us\":" + timeUs
                        + ",\"kind\":\"commit\",\"commit\":{\"rev\":\"3lbad\",\"operat");
            }
            case "unknown kind" -> {
                malformed.merge(UNKNOWN_KIND, 1, Integer::sum);
                return JetstreamWireEvents.message(timeUs, "{" + did + ",\"time_us\":" + timeUs
                        + ",\"kind\":\"tombstone\"}");
            }
            case "no did" -> {
                malformed.merge(BAD_EVENT, 1, Integer::sum);
                String real = new String(realEvent.json(), StandardCharsets.UTF_8);
                return JetstreamWireEvents.message(timeUs, real.replaceFirst("\"did\":\"[^\"]*\",", "")
                        .replaceFirst("\"time_us\":\\d+", "\"time_us\":" + timeUs));
            }
            case "far-future create without record" -> {
                // D3: the time_us was read before the event turned out broken; it must not become a position
                malformed.merge(BAD_EVENT, 1, Integer::sum);
                return JetstreamWireEvents.message(timeUs, "{" + did + ",\"time_us\":" + FAR_FUTURE_TIME_US
                        + ",\"kind\":\"commit\",\"commit\":{\"rev\":\"3lbad\",\"operation\":\"create\","
                        + "\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3lbadfuture\"}}");
            }
            case "not a post" -> {
                // a well-formed create in app.bsky.feed.post whose record has no text: a bad record, not a bad event
                try {
                    ObjectNode event = (ObjectNode) JSON.readTree(postEvent().json());
                    event.put("time_us", timeUs);
                    ObjectNode commit = (ObjectNode) event.get("commit");
                    commit.put("rkey", "3lbadnotapost");
                    ((ObjectNode) commit.get("record")).remove("text");
                    return JetstreamWireEvents.message(timeUs, JSON.writeValueAsString(event));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            case "not zstd" -> {
                // compressed: a binary message that is no zstd frame; plain: the same garbage as text
                malformed.merge(compressed() ? BAD_COMPRESSION : NOT_JSON, 1, Integer::sum);
                return JetstreamWireEvents.message(timeUs, "garbage",
                        "garbage, not a zstd frame".getBytes(StandardCharsets.US_ASCII));
            }
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** The first post create of the generated events (for its record and CID). */
    private JetstreamWireEvent postEvent() {
        return JetstreamCorpus.posts(200, 7).events().stream().filter(JetstreamIngestTest::isPostCreate)
                .findFirst().orElseThrow();
    }

    @Test
    void everyPostLandsExactlyTheCursorIsTheLastTimeUsAndEachBadEventIsCountedAndSkipped() throws Exception {
        awaitStoredCursor(lastTimeUs);

        assertThat(ties).as("posts sharing a time_us with the event before").isPositive();
        assertStreamHoldsExactly(expectedPosts(posts));
        assertThat(storedCursor(JETSTREAM_KEY)).isEqualTo(lastTimeUs);
        assertThat(storedCursor(KEY)).as("the relay's key is not Jetstream's").isEqualTo(-1);

        IngestMetrics metrics = metrics(context);
        for (MalformedEventException.Reason reason : MalformedEventException.Reason.values()) {
            assertThat(metrics.count(IngestMetrics.MALFORMED_FRAMES, reason.name())).as("malformed %s", reason)
                    .isEqualTo(malformed.getOrDefault(reason, 0).longValue());
        }
        assertThat(metrics.count(IngestMetrics.RECORD_PROBLEMS, "INVALID_RECORD")).isEqualTo(1);
        assertThat(metrics.total(IngestMetrics.RECORD_PROBLEMS)).isEqualTo(1);
        assertThat(metrics.count(IngestMetrics.FRAMES, "commit") + metrics.count(IngestMetrics.FRAMES, "identity")
                + metrics.count(IngestMetrics.FRAMES, "account")).as("good events, and the bad record's")
                .isEqualTo(goodEvents + 1);
        assertThat(metrics.count(IngestMetrics.FRAMES_REPLAYED)).isZero();
        assertThat(metrics.count(IngestMetrics.POSTS_SEEN)).isEqualTo(posts.size());

        assertThat(jetstream.requestedCursors()).containsExactly((String) null);
        assertThat(jetstream.maxConcurrentConnections()).isEqualTo(1);
        assertEveryConnectionAskedForPosts();
    }
}
