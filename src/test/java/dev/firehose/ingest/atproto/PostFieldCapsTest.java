package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.DagCborWriter;
import dev.firehose.ingest.testsupport.RepoRecords;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.firehose.ingest.atproto.FieldProblem.Reason.INVALID;
import static dev.firehose.ingest.atproto.FieldProblem.Reason.TOO_LONG;
import static dev.firehose.ingest.atproto.FieldProblem.Reason.TOO_MANY;
import static dev.firehose.ingest.testsupport.FrameBuilder.frame;
import static dev.firehose.ingest.testsupport.FrameBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every optional field of a post is bounded (issue 13 item 1): a real record (relay-testing-post_lifecycle#5, with
 * its image embed and self-label, plus the reply of #2) with values over their caps and of the wrong syntax added;
 * the post still comes out, without them, and every adjustment is reported.
 */
class PostFieldCapsTest {

    private static final String PATH = "app.bsky.feed.post/3lmxjzlrcpk24";

    private final FrameDecoder decoder = new FrameDecoder();

    private static ObjectNode realRecord() {
        ObjectNode record = TestFrames.fixturePostRecord("relay-testing-post_lifecycle#5");
        record.set("reply", TestFrames.fixturePostRecord("relay-testing-post_lifecycle#2").get("reply"));
        return record;
    }

    private FirehoseEvent decode(ObjectNode record) throws MalformedFrameException {
        return decoder.decode(frame(header("#commit"),
                TestFrames.commitBody(7, List.of(PATH), List.of(DagCborWriter.encode(record)))));
    }

    @Test
    void aRealRecordLosesNothing() throws Exception {
        ObjectNode record = realRecord();
        FirehoseEvent event = decode(record);
        Post post = event.posts().get(0);
        assertThat(event.fieldProblems()).isEmpty();
        assertThat(post.embed()).isEqualTo("app.bsky.embed.images");
        assertThat(post.labels()).containsExactly("graphic-media");
        assertThat(post.langs()).containsExactly("en");
        assertThat(post.createdAt()).isEqualTo("2025-04-16T21:31:31.667Z");
        assertThat(post.reply().root()).isEqualTo("at://did:plc:yk4dd2qkboz2yv6tpubpc6co/app.bsky.feed.post/3llz56wmk522o");
    }

    @Test
    void theRealPostsOfEveryRepoLoseNothing() throws Exception {
        List<RepoRecords.RecordBlock> posts = RepoRecords.load().posts();
        assertThat(posts).hasSize(136);
        for (RepoRecords.RecordBlock post : posts) {
            PostContent content = PostRecordMapper.content(DagCbor.standard().decode(post.block().data()),
                    DecodeLimits.DEFAULT_MAX_TEXT_BYTES);
            assertThat(content.fieldProblems()).as(content.text()).isEmpty();
        }
    }

    @Test
    void valuesAtTheirCapsAreKept() throws Exception {
        ObjectNode record = realRecord().put("createdAt", "2".repeat(PostFieldCaps.MAX_DATETIME_BYTES));
        ArrayNode langs = record.putArray("langs");
        for (int i = 0; i < PostFieldCaps.MAX_LANGS; i++) {
            langs.add(i + "x".repeat(PostFieldCaps.MAX_LANG_BYTES - 1));
        }
        ArrayNode tags = record.putArray("tags");
        for (int i = 0; i < PostFieldCaps.MAX_TAGS; i++) {
            tags.add(String.format("%02d", i) + "é".repeat((PostFieldCaps.MAX_TAG_BYTES - 2) / 2)); // 640 bytes
        }
        FirehoseEvent event = decode(record);
        assertThat(event.fieldProblems()).isEmpty();
        Post post = event.posts().get(0);
        assertThat(post.createdAt()).hasSize(64);
        assertThat(post.langs()).hasSize(PostFieldCaps.MAX_LANGS);
        assertThat(post.tags()).hasSize(PostFieldCaps.MAX_TAGS);
    }

    @Test
    void valuesOverTheirCapsOrOfTheWrongSyntaxAreDroppedAndReported() throws Exception {
        ObjectNode record = realRecord();
        record.put("createdAt", "2025-04-16T21:31:31.667Z" + " ".repeat(41)); // 65 bytes
        ArrayNode langs = record.putArray("langs");
        for (int i = 0; i < 10; i++) {
            langs.add("l" + i);
        }
        langs.add("x".repeat(129));
        ObjectNode reply = (ObjectNode) record.get("reply");
        ((ObjectNode) reply.get("root")).put("uri", "https://bsky.app/profile/bob.test/post/3llz56wmk522o");
        ((ObjectNode) reply.get("parent")).put("uri", "at://did:plc:yk4dd2qkboz2yv6tpubpc6co/app.bsky.feed.post/"
                + "3".repeat(8200));
        ArrayNode facets = record.putArray("facets");
        for (int i = 0; i < 40; i++) {
            feature(facets, "app.bsky.richtext.facet#tag", "tag", "tag" + i);
        }
        feature(facets, "app.bsky.richtext.facet#tag", "tag", "tag0"); // a repeat: skipped, not counted
        feature(facets, "app.bsky.richtext.facet#tag", "tag", "t".repeat(641));
        feature(facets, "app.bsky.richtext.facet#mention", "did", "did:plc:alice");
        feature(facets, "app.bsky.richtext.facet#mention", "did", "@alice.test");
        feature(facets, "app.bsky.richtext.facet#mention", "did", "did:plc:alice\r\nX-Evil: 1");
        for (int i = 0; i < 35; i++) {
            feature(facets, "app.bsky.richtext.facet#mention", "did", "did:plc:m" + i);
        }
        feature(facets, "app.bsky.richtext.facet#link", "uri", "https://example.com");
        feature(facets, "app.bsky.richtext.facet#link", "uri", "not a uri");
        feature(facets, "app.bsky.richtext.facet#link", "uri", "https://example.com/\"><script>");
        feature(facets, "app.bsky.richtext.facet#link", "uri", "https://example.com/" + "a".repeat(8173));
        record.putArray("tags").add("tag1").add("record-tag");
        ((ObjectNode) record.get("embed")).put("$type", "images");
        ArrayNode labels = ((ObjectNode) record.get("labels")).putArray("values");
        for (int i = 0; i < 12; i++) {
            labels.addObject().put("val", "label" + i);
        }
        labels.addObject().put("val", "v".repeat(129));

        FirehoseEvent event = decode(record);
        Post post = event.posts().get(0);
        assertThat(post.createdAt()).isNull();
        assertThat(post.langs()).hasSize(8).startsWith("l0", "l1").endsWith("l7");
        assertThat(post.reply()).isEqualTo(new Post.Reply(null, null));
        assertThat(post.tags()).hasSize(32).startsWith("tag0").endsWith("tag31").doesNotContain("record-tag");
        assertThat(post.mentions()).hasSize(32).startsWith("did:plc:alice", "did:plc:m0").endsWith("did:plc:m30");
        assertThat(post.links()).containsExactly("https://example.com");
        assertThat(post.embed()).isNull();
        assertThat(post.labels()).hasSize(10).startsWith("label0").endsWith("label9");
        assertThat(post.text()).isEqualTo("test post");

        assertThat(event.fieldProblems()).containsExactlyInAnyOrder(
                new FieldProblem(PATH, FieldProblem.CREATED_AT, TOO_LONG, 1),
                new FieldProblem(PATH, FieldProblem.LANGS, TOO_LONG, 1),
                new FieldProblem(PATH, FieldProblem.LANGS, TOO_MANY, 2),
                new FieldProblem(PATH, FieldProblem.REPLY_ROOT, INVALID, 1),
                new FieldProblem(PATH, FieldProblem.REPLY_PARENT, TOO_LONG, 1),
                new FieldProblem(PATH, FieldProblem.TAGS, TOO_LONG, 1),
                new FieldProblem(PATH, FieldProblem.TAGS, TOO_MANY, 9), // tag32..tag39 and record-tag
                new FieldProblem(PATH, FieldProblem.MENTIONS, INVALID, 2),
                new FieldProblem(PATH, FieldProblem.MENTIONS, TOO_MANY, 4),
                new FieldProblem(PATH, FieldProblem.LINKS, INVALID, 2),
                new FieldProblem(PATH, FieldProblem.LINKS, TOO_LONG, 1),
                new FieldProblem(PATH, FieldProblem.EMBED, INVALID, 1),
                new FieldProblem(PATH, FieldProblem.LABELS, TOO_LONG, 1),
                new FieldProblem(PATH, FieldProblem.LABELS, TOO_MANY, 2));
        assertThat(event.recordProblems()).isEmpty();
    }

    @Test
    void eachPostOfAFrameReportsItsOwnAdjustments() throws Exception {
        ObjectNode clean = realRecord();
        ObjectNode badEmbed = realRecord();
        ((ObjectNode) badEmbed.get("embed")).put("$type", "app.bsky.embed.images\nX: y");
        FirehoseEvent event = decoder.decode(frame(header("#commit"), TestFrames.commitBody(8,
                List.of("app.bsky.feed.post/3aaa", "app.bsky.feed.post/3bbb", "app.bsky.feed.post/3ccc"),
                List.of(DagCborWriter.encode(badEmbed), DagCborWriter.encode(clean),
                        DagCborWriter.encode(badEmbed.deepCopy().put("text", "another"))))));
        assertThat(event.posts()).hasSize(3);
        assertThat(event.fieldProblems()).containsExactly(
                new FieldProblem("app.bsky.feed.post/3aaa", FieldProblem.EMBED, INVALID, 1),
                new FieldProblem("app.bsky.feed.post/3ccc", FieldProblem.EMBED, INVALID, 1));
    }

    @Test
    void textOverTheCapIsARecordProblemMeasuredInUtf8Bytes() throws Exception {
        int cap = DecodeLimits.DEFAULT_MAX_TEXT_BYTES;
        List<String> texts = new ArrayList<>();
        texts.add("a".repeat(cap));                 // at the cap: kept
        texts.add("a".repeat(cap + 1));
        texts.add("€".repeat(cap / 3 + 1));         // 21 846 chars, 65 538 bytes
        texts.add("😀".repeat(cap / 4) + "a");       // 16 384 code points, 32 768 chars, 65 537 bytes
        List<String> paths = new ArrayList<>();
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            paths.add("app.bsky.feed.post/3t" + i);
            blocks.add(DagCborWriter.encode(realRecord().put("text", texts.get(i))));
        }
        FirehoseEvent event = decoder.decode(frame(header("#commit"), TestFrames.commitBody(9, paths, blocks)));
        assertThat(event.posts()).singleElement().satisfies(p -> assertThat(p.text()).hasSize(cap));
        assertThat(event.recordProblems()).extracting(RecordProblem::path, RecordProblem::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("app.bsky.feed.post/3t1", RecordProblem.Reason.TEXT_TOO_LONG),
                org.assertj.core.groups.Tuple.tuple("app.bsky.feed.post/3t2", RecordProblem.Reason.TEXT_TOO_LONG),
                org.assertj.core.groups.Tuple.tuple("app.bsky.feed.post/3t3", RecordProblem.Reason.TEXT_TOO_LONG));

        FrameDecoder small = new FrameDecoder(new DecodeLimits(1 << 20, 128, 10, 1 << 20, 10, 10, 1 << 20));
        FirehoseEvent smallEvent = small.decode(frame(header("#commit"), TestFrames.commitBody(9,
                List.of("app.bsky.feed.post/3x", "app.bsky.feed.post/3y"),
                List.of(DagCborWriter.encode(realRecord().put("text", "ten bytes!")),
                        DagCborWriter.encode(realRecord().put("text", "eleven byte"))))));
        assertThat(smallEvent.posts()).extracting(Post::text).containsExactly("ten bytes!");
        assertThat(smallEvent.recordProblems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo(RecordProblem.Reason.TEXT_TOO_LONG));
    }

    private static void feature(ArrayNode facets, String type, String field, String value) {
        ObjectNode facet = facets.addObject();
        facet.putObject("index").put("byteStart", 0).put("byteEnd", 1);
        facet.putArray("features").addObject().put("$type", type).put(field, value);
    }
}
