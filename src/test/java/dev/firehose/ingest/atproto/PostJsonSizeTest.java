package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.DagCborWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_DATETIME_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_DID_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LABELS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LABEL_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LANGS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LANG_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LINKS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_MENTIONS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_TAGS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_TAG_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_URI_BYTES;
import static dev.firehose.ingest.testsupport.FrameBuilder.frame;
import static dev.firehose.ingest.testsupport.FrameBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With every field bounded, a post's JSON always fits a NATS message (max_payload 1 MiB by default), whatever the
 * filter settings. The worst case is built through the decoder: a frame whose repo DID, record key and time are as
 * long as allowed, creating a record with every field over its cap, written in the characters JSON escapes most
 * ({@code U+0001} becomes the six bytes {@code \u0001}) wherever the field's syntax allows them.
 */
class PostJsonSizeTest {

    /** The worst case's size, as stated in docs/codec.md; a new field or cap must update both. */
    static final int WORST_CASE_JSON_BYTES = 870_178;

    private static final char ESCAPED = '\u0001';

    @Test
    void aPostWithEveryFieldAtItsCapFitsANatsMessage() throws Exception {
        String did = "did:plc:" + "d".repeat(MAX_DID_BYTES - 8);
        String rkey = "r".repeat(512);
        // the longest at-uri the restricted syntax allows: a 2 KiB DID, a 317-char NSID, a 512-char record key
        String nsid = "a" + ("." + "b".repeat(63)).repeat(4) + "." + "n".repeat(59);
        String atUri = "at://" + did + "/" + nsid + "/" + rkey;

        ObjectNode record = TestFrames.fixturePostRecord("relay-testing-post_lifecycle#5");
        record.put("text", escaped(DecodeLimits.DEFAULT_MAX_TEXT_BYTES));
        record.put("createdAt", escaped(MAX_DATETIME_BYTES));
        ArrayNode langs = record.putArray("langs");
        for (int i = 0; i <= MAX_LANGS; i++) {
            langs.add(escaped(MAX_LANG_BYTES));
        }
        ObjectNode reply = record.putObject("reply");
        reply.putObject("root").put("uri", atUri).put("cid", "bafy");
        reply.putObject("parent").put("uri", atUri).put("cid", "bafy");
        ArrayNode facets = record.putArray("facets");
        for (int i = 0; i <= MAX_TAGS; i++) {
            feature(facets, "app.bsky.richtext.facet#tag", "tag", distinctEscaped(i, MAX_TAG_BYTES));
        }
        for (int i = 0; i <= MAX_MENTIONS; i++) {
            feature(facets, "app.bsky.richtext.facet#mention", "did", did);
        }
        for (int i = 0; i <= MAX_LINKS; i++) {
            feature(facets, "app.bsky.richtext.facet#link", "uri", "https://" + "l".repeat(MAX_URI_BYTES - 8));
        }
        ((ObjectNode) record.get("embed")).put("$type", nsid);
        ArrayNode labels = ((ObjectNode) record.get("labels")).putArray("values");
        for (int i = 0; i <= MAX_LABELS; i++) {
            labels.addObject().put("val", escaped(MAX_LABEL_BYTES));
        }
        ObjectNode body = TestFrames.commitBody(Long.MAX_VALUE, List.of("app.bsky.feed.post/" + rkey),
                List.of(DagCborWriter.encode(record)));
        body.put("repo", did).put("time", escaped(MAX_DATETIME_BYTES));

        FirehoseEvent event = new FrameDecoder().decode(frame(header("#commit"), body));
        Post post = event.posts().get(0);
        // every field is at its cap: the codec cut the one value too many of each list
        assertThat(post.uri()).hasSize(5 + MAX_DID_BYTES + 20 + 512);
        assertThat(post.text()).hasSize(DecodeLimits.DEFAULT_MAX_TEXT_BYTES);
        assertThat(post.createdAt()).hasSize(MAX_DATETIME_BYTES);
        assertThat(post.time()).hasSize(MAX_DATETIME_BYTES);
        assertThat(post.langs()).hasSize(MAX_LANGS).allSatisfy(l -> assertThat(l).hasSize(MAX_LANG_BYTES));
        assertThat(post.reply()).isEqualTo(new Post.Reply(atUri, atUri));
        assertThat(post.tags()).hasSize(MAX_TAGS).allSatisfy(t -> assertThat(t).hasSize(MAX_TAG_BYTES));
        assertThat(post.mentions()).hasSize(MAX_MENTIONS);
        assertThat(post.links()).hasSize(MAX_LINKS).allSatisfy(l -> assertThat(l).hasSize(MAX_URI_BYTES));
        assertThat(post.embed()).isEqualTo(nsid);
        assertThat(post.labels()).hasSize(MAX_LABELS).allSatisfy(l -> assertThat(l).hasSize(MAX_LABEL_BYTES));
        assertThat(event.fieldProblems()).extracting(FieldProblem::reason).containsOnly(FieldProblem.Reason.TOO_MANY);

        byte[] json = new ObjectMapper().writeValueAsBytes(post);
        // escaped as assumed: one char, six bytes
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"text\":\"\\u0001\\u0001");
        assertThat(json.length).isLessThan(1 << 20).isEqualTo(WORST_CASE_JSON_BYTES);
    }

    private static String escaped(int length) {
        return String.valueOf(ESCAPED).repeat(length);
    }

    /** {@code length} escaped chars, the first two telling the {@code i}th apart (tags are de-duplicated). */
    private static String distinctEscaped(int i, int length) {
        return (char) (1 + i / 31) + String.valueOf((char) (1 + i % 31)) + escaped(length - 2);
    }

    private static void feature(ArrayNode facets, String type, String field, String value) {
        ObjectNode facet = facets.addObject();
        facet.putObject("index").put("byteStart", 0).put("byteEnd", 1);
        facet.putArray("features").addObject().put("$type", type).put(field, value);
    }
}
