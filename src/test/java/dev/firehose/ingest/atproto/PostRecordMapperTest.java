package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.DagCborWriter;
import dev.firehose.ingest.testsupport.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static dev.firehose.ingest.testsupport.FrameBuilder.frame;
import static dev.firehose.ingest.testsupport.FrameBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostRecordMapperTest {

    private final FrameDecoder decoder = new FrameDecoder();

    @Test
    void richPostThroughAWholeFrame() throws Exception {
        ObjectNode record = TestFrames.postRecord("#java with @alice.test see https://example.com #Java #java");
        record.putArray("langs").add("pt-BR").add("en");
        ArrayNode facets = record.putArray("facets");
        facet(facets, "app.bsky.richtext.facet#tag", "tag", "java");
        facet(facets, "app.bsky.richtext.facet#mention", "did", "did:plc:alice");
        facet(facets, "app.bsky.richtext.facet#link", "uri", "https://example.com");
        facet(facets, "app.bsky.richtext.facet#tag", "tag", "Java");
        facet(facets, "app.bsky.richtext.facet#somethingNew", "x", "ignored");
        record.putArray("tags").add("java").add("jvm");
        record.putObject("embed").put("$type", "app.bsky.embed.images").putArray("images");
        ObjectNode labels = record.putObject("labels").put("$type", "com.atproto.label.defs#selfLabels");
        labels.putArray("values").addObject().put("val", "nudity");
        ObjectNode reply = record.putObject("reply");
        reply.putObject("root").put("uri", "at://did:plc:bob/app.bsky.feed.post/3root").put("cid", "bafyroot");
        reply.putObject("parent").put("uri", "at://did:plc:bob/app.bsky.feed.post/3parent").put("cid", "bafyparent");
        byte[] block = DagCborWriter.encode(record);

        ObjectNode body = TestFrames.commitBody(42, List.of("app.bsky.feed.post/3kabc"), List.of(block));
        Post post = decoder.decode(frame(header("#commit"), body)).posts().get(0);

        assertThat(post.uri()).isEqualTo("at://" + TestFrames.REPO + "/app.bsky.feed.post/3kabc");
        assertThat(post.cid()).isEqualTo(Cid.sha256Of(block).toString());
        assertThat(post.author()).isEqualTo(TestFrames.REPO);
        assertThat(post.rkey()).isEqualTo("3kabc");
        assertThat(post.text()).startsWith("#java with");
        assertThat(post.createdAt()).isEqualTo("2025-04-16T21:30:38.000Z");
        assertThat(post.langs()).containsExactly("pt-BR", "en");
        assertThat(post.subjectLanguage()).isEqualTo("pt");
        assertThat(post.seq()).isEqualTo(42L);
        assertThat(post.time()).isEqualTo(TestFrames.TIME);
        assertThat(post.tags()).containsExactly("java", "Java", "jvm");
        assertThat(post.mentions()).containsExactly("did:plc:alice");
        assertThat(post.links()).containsExactly("https://example.com");
        assertThat(post.embed()).isEqualTo("app.bsky.embed.images");
        assertThat(post.labels()).containsExactly("nudity");
        assertThat(post.reply()).isEqualTo(new Post.Reply("at://did:plc:bob/app.bsky.feed.post/3root",
                "at://did:plc:bob/app.bsky.feed.post/3parent"));
    }

    @Test
    void minimalPostHasEmptyListsAndNulls() throws Exception {
        ObjectNode record = JSON.createObjectNode().put("$type", "app.bsky.feed.post").put("text", "");
        Post post = map(record);
        assertThat(post.text()).isEmpty();
        assertThat(post.createdAt()).isNull();
        assertThat(post.langs()).isEmpty();
        assertThat(post.subjectLanguage()).isEqualTo("und");
        assertThat(post.tags()).isEmpty();
        assertThat(post.mentions()).isEmpty();
        assertThat(post.links()).isEmpty();
        assertThat(post.labels()).isEmpty();
        assertThat(post.reply()).isNull();
        assertThat(post.embed()).isNull();
    }

    @Test
    void oddlyShapedOptionalPartsAreIgnored() throws Exception {
        ObjectNode record = JSON.createObjectNode().put("$type", "app.bsky.feed.post").put("text", "t");
        record.put("langs", "en");               // not an array
        record.putArray("facets").add(3).addObject().put("features", "x");
        record.putArray("tags").add(1).add("ok");
        record.put("embed", 5);
        record.putObject("labels").put("values", "x");
        Post post = map(record);
        assertThat(post.langs()).isEmpty();
        assertThat(post.tags()).containsExactly("ok");
        assertThat(post.embed()).isNull();
        assertThat(post.labels()).isEmpty();
    }

    @Test
    void realReplyFromARepo() throws Exception {
        CarFile car = CarReader.read(java.nio.file.Files.readAllBytes(Fixtures.repo("rsky-valid_repo.car")));
        JsonNode reply2 = CarReaderTest.posts(car).stream()
                .filter(p -> p.get("text").textValue().equals("Reply 2")).findFirst().orElseThrow();
        Post post = PostRecordMapper.post(PostRecordMapper.content(reply2, DecodeLimits.DEFAULT_MAX_TEXT_BYTES),
                "did:plc:r7fdhqmw3h2cifeakw5hmvy6", "3x", "bafy", 1L, "t");
        // URIs read off the raw CAR bytes with `strings`
        assertThat(post.reply()).isEqualTo(new Post.Reply(
                "at://did:plc:r7fdhqmw3h2cifeakw5hmvy6/app.bsky.feed.post/3lhmyd27gsk23",
                "at://did:plc:r7fdhqmw3h2cifeakw5hmvy6/app.bsky.feed.post/3lhmydd7cps23"));
        assertThat(post.langs()).containsExactly("en");
    }

    @Test
    void dataModelInvalidTypesAreNotPosts() throws Exception {
        // interop data-model-invalid.json: "$type null", "$type wrong type", "empty $type string"
        for (JsonNode type : List.of(JSON.getNodeFactory().nullNode(), JSON.getNodeFactory().numberNode(123),
                JSON.getNodeFactory().textNode(""))) {
            ObjectNode record = JSON.createObjectNode().put("text", "t");
            record.set("$type", type);
            assertThatThrownBy(() -> map(record)).isInstanceOfSatisfying(RejectedRecordException.class,
                    e -> assertThat(e.reason()).isEqualTo(RecordProblem.Reason.INVALID_RECORD));
        }
        assertThatThrownBy(() -> map(JSON.getNodeFactory().textNode("blah")))
                .isInstanceOfSatisfying(RejectedRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(RecordProblem.Reason.INVALID_RECORD));
    }

    private static Post map(JsonNode record) throws RejectedRecordException {
        return PostRecordMapper.post(PostRecordMapper.content(record, DecodeLimits.DEFAULT_MAX_TEXT_BYTES),
                "did:plc:x", "3k", "bafy", 1L, "t");
    }

    private static void facet(ArrayNode facets, String type, String field, String value) {
        ObjectNode facet = facets.addObject();
        facet.putObject("index").put("byteStart", 0).put("byteEnd", 1);
        facet.putArray("features").addObject().put("$type", type).put(field, value);
    }
}
