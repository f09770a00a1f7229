package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.atproto.PostFieldCaps;
import dev.firehose.ingest.metrics.IngestMetrics;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.PostFrames;
import dev.firehose.ingest.testsupport.RelayFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 1 and its property test (rule D2 of docs/invariants.md): posts that once froze the cursor for ever.
 * Between good frames come a post whose {@code createdAt} is 1.1 MB, a post whose JSON is larger than the server's
 * {@code max_payload} (16 KiB here), and 60 seeded posts with every optional field oversized or malformed (long and
 * many langs, tags, labels, mentions that are no DIDs, links with spaces, reply URIs that are no at:// URIs, an embed
 * type that is no NSID). Text filtering is off, so every post reaches the publisher.
 *
 * <p>Every good post lands; every poisoned post either lands with each field within its cap (the rest dropped and
 * counted) or is failed at stage {@code publish} because even bounded it is more than this server takes; the cursor
 * reaches the last frame; no publish is retried.
 */
class PoisonPostsTest extends ServiceEndToEndSupport {

    private static final String DID = "did:plc:poisonposts0000000000000";
    private static final int CRAFTED = 60;

    private final List<String> craftedUris = new ArrayList<>();
    private String tooLargeUri;

    @Override
    protected NatsServerProcess startNats() throws Exception {
        Path dir = Files.createTempDirectory("e2e-nats-small");
        Path config = Files.writeString(dir.resolve("small.conf"), "max_payload: 16384\n");
        return NatsServerProcess.start(dir.resolve("store"), "-c", config.toString());
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        p.setProperty("filter.enabled", "false");
        return p;
    }

    @Override
    protected Corpus buildCorpus() {
        Corpus before = FrameCorpus.synthetic(500, FIRST_SEQ, 51);
        PostFrames crafted = new PostFrames(before.lastSeq() + 1);
        craftedUris.add(crafted.add(DID, PostFrames.record("a post dated with a megabyte")
                .put("createdAt", "2025-04-16T21:31:31.667Z" + "9".repeat(1_100_000))).uri());
        tooLargeUri = crafted.add(DID, PostFrames.record("long ".repeat(4_000))).uri();
        Random random = new Random(13);
        for (int i = 0; i < CRAFTED; i++) {
            craftedUris.add(crafted.add(DID, poisoned(random)).uri());
        }
        Corpus after = FrameCorpus.synthetic(1_000, crafted.nextSeq(), 52);
        List<RelayFrame> frames = new ArrayList<>(before.frames());
        frames.addAll(crafted.frames());
        frames.addAll(after.frames());
        List<ExpectedPost> posts = new ArrayList<>(before.posts());
        posts.addAll(after.posts());
        return new Corpus(frames, posts, after.lastSeq());
    }

    /** A post with every optional field oversized or malformed, each in a seeded way. */
    private static ObjectNode poisoned(Random random) {
        ObjectNode record = PostFrames.record("a poisoned post number " + random.nextInt(1_000_000));
        record.put("createdAt", "2025-04-16T21:31:31.667Z" + "x".repeat(random.nextInt(200)));
        ArrayNode langs = record.putArray("langs");
        for (int i = 0; i < 1 + random.nextInt(30); i++) {
            langs.add(random.nextBoolean() ? "en" : "q".repeat(1 + random.nextInt(400)));
        }
        ArrayNode tags = record.putArray("tags");
        for (int i = 0; i < random.nextInt(60); i++) {
            tags.add("tag" + i + "z".repeat(random.nextInt(900)));
        }
        for (int i = 0; i < random.nextInt(50); i++) {
            switch (random.nextInt(3)) {
                case 0 -> PostFrames.withFeature(record, "app.bsky.richtext.facet#mention", "did",
                        random.nextBoolean() ? "not a did" : "did:plc:" + "a".repeat(random.nextInt(3_000)));
                case 1 -> PostFrames.withFeature(record, "app.bsky.richtext.facet#link", "uri",
                        "https://example.com/" + (random.nextBoolean() ? "with space" : "p".repeat(random.nextInt(9_000))));
                default -> PostFrames.withFeature(record, "app.bsky.richtext.facet#tag", "tag",
                        "t".repeat(random.nextInt(1_000)));
            }
        }
        ObjectNode reply = record.putObject("reply");
        reply.putObject("root").put("uri", random.nextBoolean() ? "https://not.an.at.uri/x"
                : "at://" + DID + "/app.bsky.feed.post/" + "r".repeat(random.nextInt(10_000)));
        reply.putObject("parent").put("uri", "at://" + DID + "/app.bsky.feed.post/3parent");
        record.putObject("embed").put("$type", random.nextBoolean() ? "not an nsid!" : "a.b." + "c".repeat(400));
        ArrayNode labels = record.putObject("labels").put("$type", "com.atproto.label.defs#selfLabels")
                .putArray("values");
        for (int i = 0; i < random.nextInt(40); i++) {
            labels.addObject().put("val", "label" + "l".repeat(random.nextInt(300)));
        }
        return record;
    }

    @Test
    void everyGoodPostLandsThePoisonedOnesAreBoundedOrFailedAndTheCursorReachesTheEnd() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        Map<String, JsonNode> stream = streamMessages();
        Set<String> good = corpus.posts().stream().map(ExpectedPost::uri).collect(Collectors.toSet());
        Set<String> poisoned = new java.util.HashSet<>(craftedUris);
        poisoned.add(tooLargeUri);
        assertThat(stream.keySet()).containsAll(good);
        Set<String> landedPoisoned = new java.util.HashSet<>(stream.keySet());
        landedPoisoned.removeAll(good);
        assertThat(poisoned).containsAll(landedPoisoned);
        for (String uri : landedPoisoned) {
            assertWithinCaps(stream.get(uri));
        }
        assertThat(stream.get(craftedUris.get(0)).get("created_at").isNull()).as("the 1.1 MB createdAt").isTrue();
        assertThat(landedPoisoned).as("16 KiB is too small for it").doesNotContain(tooLargeUri);

        // Each poisoned post that did not land was refused by the server for good (capped fields can still add up to
        // more than this server's 16 KiB max_payload): failed at stage publish, once, never retried.
        IngestMetrics metrics = context.getRegistry().lookupByNameAndType("ingestMetrics", IngestMetrics.class);
        assertThat(metrics.count(IngestMetrics.POSTS_FAILED, "publish"))
                .isEqualTo(poisoned.size() - landedPoisoned.size());
        assertThat(metrics.total(IngestMetrics.POST_FIELDS_DROPPED)).isPositive();
        assertThat(metrics.count(IngestMetrics.PUBLISH_ERRORS)).as("nothing retried").isZero();
        assertThat(storedCursor()).isEqualTo(corpus.lastSeq());
    }

    private static void assertWithinCaps(JsonNode post) {
        String uri = post.get("uri").asText();
        JsonNode createdAt = post.get("created_at");
        assertThat(createdAt.isNull() || bytes(createdAt.asText()) <= PostFieldCaps.MAX_DATETIME_BYTES).as(uri).isTrue();
        assertList(post.get("langs"), PostFieldCaps.MAX_LANGS, PostFieldCaps.MAX_LANG_BYTES, uri);
        assertList(post.get("tags"), PostFieldCaps.MAX_TAGS, PostFieldCaps.MAX_TAG_BYTES, uri);
        assertList(post.get("labels"), PostFieldCaps.MAX_LABELS, PostFieldCaps.MAX_LABEL_BYTES, uri);
        assertList(post.get("mentions"), PostFieldCaps.MAX_MENTIONS, PostFieldCaps.MAX_DID_BYTES, uri);
        assertList(post.get("links"), PostFieldCaps.MAX_LINKS, PostFieldCaps.MAX_URI_BYTES, uri);
        post.get("mentions").forEach(m -> assertThat(m.asText()).as(uri).startsWith("did:"));
        post.get("links").forEach(l -> assertThat(l.asText()).as(uri).doesNotContain(" "));
        JsonNode reply = post.get("reply");
        if (!reply.isNull()) {
            for (String part : List.of("root", "parent")) {
                JsonNode ref = reply.get(part);
                assertThat(ref.isNull() || ref.asText().startsWith("at://")
                        && bytes(ref.asText()) <= PostFieldCaps.MAX_URI_BYTES).as(uri + " " + part).isTrue();
            }
        }
        JsonNode embed = post.get("embed");
        assertThat(embed.isNull() || bytes(embed.asText()) <= PostFieldCaps.MAX_EMBED_TYPE_BYTES).as(uri).isTrue();
        assertThat(post.get("_subject").asText()).as("a language token, or und").matches("e2e\\.posts\\.([a-z]{2,3}|und)");
    }

    private static void assertList(JsonNode list, int maxItems, int maxBytes, String uri) {
        assertThat(list.size()).as(uri).isLessThanOrEqualTo(maxItems);
        list.forEach(item -> assertThat(bytes(item.asText())).as(uri).isLessThanOrEqualTo(maxBytes));
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
