package dev.firehose.ingest.atproto;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.CarBlock;
import dev.firehose.ingest.testsupport.CarWriter;
import dev.firehose.ingest.testsupport.DagCborWriter;
import org.junit.jupiter.api.Test;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static dev.firehose.ingest.testsupport.FrameBuilder.frame;
import static dev.firehose.ingest.testsupport.FrameBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Post deletes (issue 12, {@code PUBLISH_DELETES}): the relay codec names the {@code delete} ops of
 * {@code app.bsky.feed.post} records without any CAR work, checks their record key like a create's, and a delete
 * becomes {@code {uri, author, seq, time, deleted_at}}.
 */
class PostDeleteTest {

    private static final String REPO = "did:plc:postdeletetest000000000000";
    private static final String TIME = "2025-04-16T21:31:33.046Z";

    private final FrameDecoder decoder = new FrameDecoder();

    @Test
    void aRealFrameDeletingAPost() throws Exception {
        FirehoseEvent event = decoder.decode(FirehoseFixtures.byName("relay-testing-post_lifecycle#3").bytes());
        assertThat(event.postDeletes()).containsExactly(new PostDelete(
                "at://did:plc:44ybard66vv44zksje25o7dz/app.bsky.feed.post/3lmxjzlexp22k",
                "did:plc:44ybard66vv44zksje25o7dz", 35956607L, "2025-04-16T21:30:48.995Z"));
        assertThat(event.posts()).isEmpty();
        assertThat(event.recordProblems()).isEmpty();
    }

    @Test
    void onlyPostDeletesWithAValidKeyAreNamedAndTheBlocksAreNotRead() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        var ops = body.putArray("ops");
        ops.addObject().put("action", "delete").put("path", "app.bsky.feed.like/3lgone").putNull("cid");
        ops.addObject().put("action", "delete").put("path", "app.bsky.feed.post/3lgone").putNull("cid");
        ops.addObject().put("action", "update").put("path", "app.bsky.feed.post/3lupdated").putNull("cid");
        ops.addObject().put("action", "delete").put("path", "app.bsky.feed.post/bad key\r\n").putNull("cid");
        body.put("seq", 42).put("repo", REPO).put("rev", "3lrev").put("time", TIME);
        // not a CAR at all: a commit without post creates never parses it
        body.set("blocks", JSON.getNodeFactory().binaryNode(new byte[] {0x7f, 1, 2, 3}));
        FirehoseEvent event = decoder.decode(frame(header("#commit"), body));

        assertThat(event.postDeletes()).containsExactly(
                new PostDelete("at://" + REPO + "/app.bsky.feed.post/3lgone", REPO, 42L, TIME));
        assertThat(event.recordProblems()).singleElement().satisfies(problem -> {
            assertThat(problem.reason()).isEqualTo(RecordProblem.Reason.INVALID_RECORD);
            assertThat(problem.path()).doesNotContain("\r", "\n");
        });
    }

    @Test
    void aFrameWithPostCreatesKeepsItsDeletes() throws Exception {
        ObjectNode record = JSON.createObjectNode().put("$type", "app.bsky.feed.post").put("text", "a new post here")
                .put("createdAt", TIME);
        CarBlock block = CarBlock.ofDagCbor(DagCborWriter.encode(record));
        ObjectNode body = JSON.createObjectNode();
        var ops = body.putArray("ops");
        ObjectNode create = ops.addObject().put("action", "create").put("path", "app.bsky.feed.post/3lnew");
        create.set("cid", dev.firehose.ingest.testsupport.AtJson.link(block.cid()));
        ops.addObject().put("action", "delete").put("path", "app.bsky.feed.post/3lold").putNull("cid");
        body.put("seq", 43).put("repo", REPO).put("rev", "3lrev").put("time", TIME);
        body.set("blocks", JSON.getNodeFactory().binaryNode(CarWriter.write(List.of(block.cid()), List.of(block))));
        FirehoseEvent event = decoder.decode(frame(header("#commit"), body));

        assertThat(event.posts()).singleElement().extracting(Post::rkey).isEqualTo("3lnew");
        assertThat(event.postDeletes()).extracting(PostDelete::uri)
                .containsExactly("at://" + REPO + "/app.bsky.feed.post/3lold");
    }

    @Test
    void asJsonWithItsDeletionTime() throws Exception {
        JsonNode relay = JSON.readTree(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(
                PostDelete.of(REPO, "3lgone", 42L, TIME)));
        assertThat(relay.toString()).isEqualTo("{\"uri\":\"at://" + REPO + "/app.bsky.feed.post/3lgone\",\"author\":\""
                + REPO + "\",\"seq\":42,\"time\":\"" + TIME + "\",\"deleted_at\":\"" + TIME + "\"}");
        JsonNode jetstream = JSON.readTree(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(
                PostDelete.of(REPO, "3lgone", null, TIME)));
        assertThat(jetstream.get("seq").isNull()).isTrue();
        assertThatThrownBy(() -> PostDelete.of("not-a-did", "3lgone", null, TIME))
                .isInstanceOf(RejectedRecordException.class);
        assertThatThrownBy(() -> PostDelete.of(REPO, "..", null, TIME)).isInstanceOf(RejectedRecordException.class);
        assertThatThrownBy(() -> PostDelete.of(REPO, "3lgone", null, "t".repeat(65)))
                .isInstanceOf(RejectedRecordException.class);
    }
}
