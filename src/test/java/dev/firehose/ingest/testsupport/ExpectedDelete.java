package dev.firehose.ingest.testsupport;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A post delete the ingest is expected to publish ({@code PUBLISH_DELETES}), read from the frames or events with the
 * test-side decoders, never the production codec.
 *
 * @param seq  the relay commit's seq; null for Jetstream
 * @param time the relay commit's {@code time}, or Jetstream's {@code time_us} to the millisecond
 */
public record ExpectedDelete(String uri, String author, Long seq, String time) {

    /** Every {@code delete} op of an {@code app.bsky.feed.post} record in the {@code #commit} frames, in order. */
    public static List<ExpectedDelete> fromFrames(List<RelayFrame> frames) {
        List<ExpectedDelete> deletes = new ArrayList<>();
        for (RelayFrame frame : frames) {
            List<JsonNode> parts = AtJson.decodeSequence(frame.bytes());
            if (parts.size() != 2 || !"#commit".equals(parts.get(0).path("t").asText())) {
                continue;
            }
            JsonNode body = parts.get(1);
            for (JsonNode op : body.path("ops")) {
                String path = op.path("path").asText();
                if ("delete".equals(op.path("action").asText()) && path.startsWith(RepoRecords.POST + "/")) {
                    String repo = body.path("repo").asText();
                    deletes.add(new ExpectedDelete("at://" + repo + "/" + path, repo, body.path("seq").asLong(),
                            body.path("time").asText()));
                }
            }
        }
        return deletes;
    }

    /** Every post delete among the events, in order. */
    public static List<ExpectedDelete> fromEvents(List<JetstreamWireEvent> events) {
        List<ExpectedDelete> deletes = new ArrayList<>();
        for (JetstreamWireEvent event : events) {
            if ("delete".equals(event.operation()) && RepoRecords.POST.equals(event.collection())) {
                deletes.add(new ExpectedDelete("at://" + event.did() + "/" + RepoRecords.POST + "/" + event.rkey(),
                        event.did(), null, ExpectedJetstreamPost.isoMillis(event.timeUs())));
            }
        }
        return deletes;
    }
}
