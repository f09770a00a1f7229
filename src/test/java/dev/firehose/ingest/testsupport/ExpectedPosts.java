package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The oracle: which posts a list of frames creates, read with the test-side decoders
 * ({@link AtJson} for the frame, plain Jackson CBOR for the record), never the production codec.
 */
public final class ExpectedPosts {

    private ExpectedPosts() {
    }

    /** An expected post from its record block (CID as the block carries it, fields from plain Jackson). */
    public static ExpectedPost of(String did, String rkey, CarBlock record, long seq) {
        JsonNode post = RepoRecords.plainTree(record.data());
        List<String> langs = new ArrayList<>();
        for (JsonNode lang : post.path("langs")) {
            langs.add(lang.asText());
        }
        return new ExpectedPost(
                "at://" + did + "/" + RepoRecords.POST + "/" + rkey,
                record.cidText(),
                did,
                rkey,
                post.path("text").isTextual() ? post.get("text").asText() : null,
                post.path("createdAt").isTextual() ? post.get("createdAt").asText() : null,
                List.copyOf(langs),
                seq);
    }

    /**
     * Every {@code app.bsky.feed.post} create in {@code #commit} frames whose record block is in
     * the frame's CAR, in frame and op order.
     */
    public static List<ExpectedPost> fromFrames(List<RelayFrame> frames) {
        List<ExpectedPost> posts = new ArrayList<>();
        for (RelayFrame frame : frames) {
            List<JsonNode> parts = AtJson.decodeSequence(frame.bytes());
            if (parts.size() != 2 || !"#commit".equals(parts.get(0).path("t").asText())) {
                continue;
            }
            JsonNode body = parts.get(1);
            String repo = body.path("repo").asText();
            CarFile car = null;
            for (JsonNode op : body.path("ops")) {
                String path = op.path("path").asText();
                if (!"create".equals(op.path("action").asText()) || !path.startsWith(RepoRecords.POST + "/")) {
                    continue;
                }
                if (car == null) {
                    car = CarFile.parse(java.util.Base64.getDecoder().decode(body.path("blocks").path("$bytes").asText()));
                }
                CarBlock record = car.block(Cids.fromText(op.path("cid").path("$link").asText()));
                if (record != null) {
                    posts.add(of(repo, path.substring(path.indexOf('/') + 1), record, body.path("seq").asLong()));
                }
            }
        }
        return posts;
    }

    /**
     * The posts the service publishes with its default filter: text of 10 to 1000 Unicode code points
     * (MIN_TEXT_LENGTH, MAX_TEXT_LENGTH), counted independently of the production code. The other default rules
     * (spam, duplicates) drop none of the real posts, nor any post of the end-to-end tests' corpora
     * ({@code DefaultsKeepRealPostsTest} checks the seeds they use).
     */
    public static List<ExpectedPost> acceptedByDefaultFilter(List<ExpectedPost> created) {
        return created.stream().filter(post -> defaultFilterKeeps(post.text())).toList();
    }

    /** The default filter's length rule on a post's text: 10 to 1000 code points (null text: 0). */
    static boolean defaultFilterKeeps(String text) {
        int length = text == null ? 0 : text.codePointCount(0, text.length());
        return length >= 10 && length <= 1000;
    }
}
