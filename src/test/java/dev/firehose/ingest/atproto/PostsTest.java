package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.FixtureFrame;
import dev.firehose.ingest.testsupport.RepoRecords;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Posts#fromRecord}: records that arrive as AT-JSON instead of in a frame. The records are real: blocks of the
 * fixture frames and repos, decoded by {@link DagCbor} to their AT-JSON tree and written out and read back as JSON
 * text, as another source would deliver them.
 */
class PostsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The AT-JSON text of a DAG-CBOR record block, read back as a plain Jackson tree. */
    private static JsonNode asJson(byte[] block) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(DagCbor.standard().decode(block)));
    }

    @Test
    void aRecordGivesTheSamePostAsInItsFrame() throws Exception {
        FrameDecoder decoder = new FrameDecoder();
        int checked = 0;
        for (FixtureFrame frame : FirehoseFixtures.all()) {
            FirehoseEvent event = decoder.decode(frame.bytes());
            CarFile car = event.posts().isEmpty() ? null : CarReader.read(frame.car());
            for (Post inFrame : event.posts()) {
                byte[] block = car.block(Cid.fromString(inFrame.cid())).bytes();
                List<FieldProblem> problems = new ArrayList<>();
                Post fromJson = Posts.fromRecord(asJson(block), event.repo(), inFrame.rkey(), inFrame.cid(),
                        event.seq(), event.time(), problems::add);
                assertThat(fromJson).as(frame.name()).isEqualTo(inFrame);
                assertThat(problems).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4); // replies, an image embed with a self-label among them
    }

    @Test
    void everyRealRepoPostMaps() throws Exception {
        List<RepoRecords.RecordBlock> posts = RepoRecords.load().posts();
        for (RepoRecords.RecordBlock post : posts) {
            List<FieldProblem> problems = new ArrayList<>();
            Post p = Posts.fromRecord(asJson(post.block().data()), "did:plc:r7fdhqmw3h2cifeakw5hmvy6", "3lhmyd27gsk23",
                    post.block().cidText(), null, null, problems::add);
            assertThat(p.text()).isEqualTo(post.record().get("text").asText());
            assertThat(p.seq()).isNull();
            assertThat(p.cid()).isEqualTo(post.block().cidText());
            assertThat(problems).isEmpty();
        }
        assertThat(posts).hasSize(136);
    }

    @Test
    void theSameCapsApplyAndAreReported() throws Exception {
        ObjectNode record = (ObjectNode) asJson(rskyReply());
        ArrayNode facets = record.putArray("facets");
        for (int i = 0; i < 40; i++) {
            facets.addObject().putArray("features").addObject().put("$type", "app.bsky.richtext.facet#tag")
                    .put("tag", "t" + i);
        }
        facets.addObject().putArray("features").addObject().put("$type", "app.bsky.richtext.facet#mention")
                .put("did", "@alice.test");
        record.putObject("embed").put("$type", "app.bsky.embed.images\r\nX: y");
        List<FieldProblem> problems = new ArrayList<>();
        Post post = Posts.fromRecord(record, "did:plc:r7fdhqmw3h2cifeakw5hmvy6", "3lhmyd27gsk23", cid(), 5L,
                "2025-04-16T21:30:38.972Z", problems::add);
        assertThat(post.tags()).hasSize(PostFieldCaps.MAX_TAGS);
        assertThat(post.mentions()).isEmpty();
        assertThat(post.embed()).isNull();
        assertThat(post.reply()).isNotNull();
        String path = "app.bsky.feed.post/3lhmyd27gsk23";
        assertThat(problems).containsExactlyInAnyOrder(
                new FieldProblem(path, FieldProblem.TAGS, FieldProblem.Reason.TOO_MANY, 8),
                new FieldProblem(path, FieldProblem.MENTIONS, FieldProblem.Reason.INVALID, 1),
                new FieldProblem(path, FieldProblem.EMBED, FieldProblem.Reason.INVALID, 1));
    }

    @Test
    void invalidIdentityOrRecordIsRejectedWithAReason() throws Exception {
        JsonNode good = asJson(rskyReply());
        String did = "did:plc:r7fdhqmw3h2cifeakw5hmvy6";
        assertThat(Posts.fromRecord(good, did, "3k", cid(), null, null).uri())
                .isEqualTo("at://did:plc:r7fdhqmw3h2cifeakw5hmvy6/app.bsky.feed.post/3k");

        assertRejected(null, did, "3k", cid(), null, RecordProblem.Reason.INVALID_RECORD);
        for (String repo : new String[] {null, "", "did:plc:abc\r\nX-Evil: 1", "did:plc:abçd", "alice.test",
                "did:plc:" + "a".repeat(2041)}) {
            assertRejected(good, repo, "3k", cid(), null, RecordProblem.Reason.INVALID_RECORD);
        }
        for (String rkey : new String[] {null, "", ".", "bad key", "a/b", "k".repeat(513)}) {
            assertRejected(good, did, rkey, cid(), null, RecordProblem.Reason.INVALID_RECORD);
        }
        for (String cid : new String[] {null, "", "bafy", "Qmfoo", "b" + "a".repeat(200), "bafy!!"}) {
            assertRejected(good, did, "3k", cid, null, RecordProblem.Reason.INVALID_RECORD);
        }
        assertRejected(good, did, "3k", cid(), "2".repeat(65), RecordProblem.Reason.INVALID_RECORD);
        assertRejected(good, did, "3k", cid(), "\ud800", RecordProblem.Reason.INVALID_RECORD);

        ObjectNode like = JSON.createObjectNode().put("$type", "app.bsky.feed.like").put("text", "x");
        assertRejected(like, did, "3k", cid(), null, RecordProblem.Reason.INVALID_RECORD);
        assertRejected(JSON.readTree("[1]"), did, "3k", cid(), null, RecordProblem.Reason.INVALID_RECORD);
        // JSON can carry what DAG-CBOR cannot: a lone surrogate
        assertRejected(JSON.readTree("{\"$type\":\"app.bsky.feed.post\",\"text\":\"a\\ud800b\"}"), did, "3k", cid(), null,
                RecordProblem.Reason.INVALID_RECORD);
        ObjectNode longText = ((ObjectNode) good.deepCopy()).put("text", "x".repeat(DecodeLimits.DEFAULT_MAX_TEXT_BYTES + 1));
        assertRejected(longText, did, "3k", cid(), null, RecordProblem.Reason.TEXT_TOO_LONG);
    }

    private static void assertRejected(JsonNode record, String repo, String rkey, String cid, String time,
                                       RecordProblem.Reason reason) {
        assertThatThrownBy(() -> Posts.fromRecord(record, repo, rkey, cid, 1L, time))
                .isInstanceOfSatisfying(RejectedRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).doesNotContain("\r", "\n").hasSizeLessThan(200);
                });
    }

    private static byte[] rskyReply() throws Exception {
        CarFile car = CarReader.read(java.nio.file.Files.readAllBytes(
                dev.firehose.ingest.testsupport.Fixtures.repo("rsky-valid_repo.car")));
        for (CarBlock block : car.blocks().values()) {
            JsonNode node = DagCbor.standard().decode(block.bytes());
            if (node.path("text").asText().equals("Reply 2")) {
                return block.bytes();
            }
        }
        throw new IllegalStateException("no reply in rsky-valid_repo.car");
    }

    private static String cid() throws Exception {
        return Cid.sha256Of(rskyReply()).toString();
    }
}
