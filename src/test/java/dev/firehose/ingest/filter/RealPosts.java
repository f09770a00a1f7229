package dev.firehose.ingest.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firehose.ingest.atproto.FirehoseEvent;
import dev.firehose.ingest.atproto.FrameDecoder;
import dev.firehose.ingest.atproto.Post;
import dev.firehose.ingest.testsupport.CarBlock;
import dev.firehose.ingest.testsupport.CarFile;
import dev.firehose.ingest.testsupport.FixtureFrame;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.Fixtures;
import dev.firehose.ingest.testsupport.RelayFrame;
import dev.firehose.ingest.testsupport.RepoRecords;

/** Real posts from the fixtures, the negatives of the rule tests: ordinary human (and test-bot) posts. */
final class RealPosts {

    private RealPosts() {
    }

    /**
     * Every post record of a fixture repo CAR, read with plain Jackson (not the production codec), in
     * {@code createdAt} order, by the repo's DID, with {@code createdAt} as the relay time (a repo has none).
     */
    static List<Post> fromRepo(String carName) {
        CarFile car = CarFile.read(Fixtures.repo(carName));
        String did = null;
        List<JsonNode> records = new ArrayList<>();
        List<String> cids = new ArrayList<>();
        for (CarBlock block : car.blocks()) {
            JsonNode node = RepoRecords.plainTree(block.data());
            if (RepoRecords.POST.equals(node.path("$type").asText())) {
                records.add(node);
                cids.add(block.cidText());
            } else if (node.has("did") && node.has("sig") && node.has("data")) {
                did = node.get("did").asText();
            }
        }
        List<Post> posts = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            posts.add(post(did, cids.get(i), records.get(i)));
        }
        posts.sort(Comparator.comparing(Post::createdAt));
        return posts;
    }

    /** The posts of every repo fixture that holds posts. */
    static List<Post> fromAllRepos() {
        List<Post> posts = new ArrayList<>();
        for (String car : RepoRecords.POST_REPOS) {
            posts.addAll(fromRepo(car));
        }
        return posts;
    }

    /** The posts in the captured production frames (fixtures/firehose), decoded as the service does. */
    static List<Post> fromFirehoseFixtures() throws Exception {
        List<Post> posts = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder();
        for (FixtureFrame frame : FrameCorpus.allFixtureFrames()) {
            posts.addAll(decoder.decode(frame.bytes()).posts());
        }
        return posts;
    }

    /** The posts of relay frames, decoded as the service does, in frame order. */
    static List<Post> decode(List<RelayFrame> frames) throws Exception {
        List<Post> posts = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder();
        for (RelayFrame frame : frames) {
            FirehoseEvent event = decoder.decode(frame.bytes());
            posts.addAll(event.posts());
        }
        return posts;
    }

    private static Post post(String did, String cid, JsonNode record) {
        Set<String> tags = new LinkedHashSet<>();
        List<String> mentions = new ArrayList<>();
        List<String> links = new ArrayList<>();
        for (JsonNode facet : record.path("facets")) {
            for (JsonNode feature : facet.path("features")) {
                switch (feature.path("$type").asText()) {
                    case "app.bsky.richtext.facet#tag" -> tags.add(feature.path("tag").asText());
                    case "app.bsky.richtext.facet#mention" -> mentions.add(feature.path("did").asText());
                    case "app.bsky.richtext.facet#link" -> links.add(feature.path("uri").asText());
                    default -> {
                    }
                }
            }
        }
        record.path("tags").forEach(t -> tags.add(t.asText()));
        List<String> langs = new ArrayList<>();
        record.path("langs").forEach(l -> langs.add(l.asText()));
        String createdAt = record.path("createdAt").asText();
        return new Post("at://" + did + "/app.bsky.feed.post/" + cid, cid, did, cid, record.path("text").asText(),
                createdAt, langs, 0L, createdAt, null, List.copyOf(tags), mentions, links,
                record.path("embed").path("$type").asText(null), List.of());
    }
}
