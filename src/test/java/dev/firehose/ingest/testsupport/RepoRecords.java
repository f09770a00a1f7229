package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Real record blocks taken verbatim out of the fixture repo CARs, grouped by collection, plus the
 * DIDs of the repos' commit blocks. The source of every record in the synthetic corpus.
 */
public final class RepoRecords {

    /** The CARs holding the 136 real posts (101 + 26 + 5 + 4). */
    public static final List<String> POST_REPOS = List.of(
            "paul_staging.repo.car",
            "fakermaker.repo.car",
            "bafyreieovfuizojpw3zresz7sx3nk4trm2by23pt5rxbey3jme4uo5ogiu.car",
            "rsky-valid_repo.car");

    public static final String POST = "app.bsky.feed.post";
    public static final String LIKE = "app.bsky.feed.like";
    public static final String REPOST = "app.bsky.feed.repost";
    public static final String FOLLOW = "app.bsky.graph.follow";
    public static final String PROFILE = "app.bsky.actor.profile";

    private static final ObjectMapper PLAIN_CBOR = new ObjectMapper(new CBORFactory());

    /** A record block as stored in its CAR, with its CID as written in the CAR. */
    public record RecordBlock(String collection, CarBlock block, JsonNode record) {
    }

    private final List<RecordBlock> posts = new ArrayList<>();
    private final List<RecordBlock> likes = new ArrayList<>();
    private final List<RecordBlock> reposts = new ArrayList<>();
    private final List<RecordBlock> follows = new ArrayList<>();
    private final List<RecordBlock> profiles = new ArrayList<>();
    private final Set<String> dids = new LinkedHashSet<>();

    public static RepoRecords load() {
        RepoRecords records = new RepoRecords();
        for (String name : POST_REPOS) {
            records.add(CarFile.read(Fixtures.repo(name)));
        }
        return records;
    }

    private void add(CarFile car) {
        for (CarBlock block : car.blocks()) {
            JsonNode node = plainTree(block.data());
            String type = node.path("$type").asText("");
            switch (type) {
                case POST -> posts.add(new RecordBlock(type, block, node));
                case LIKE -> likes.add(new RecordBlock(type, block, node));
                case REPOST -> reposts.add(new RecordBlock(type, block, node));
                case FOLLOW -> follows.add(new RecordBlock(type, block, node));
                case PROFILE -> profiles.add(new RecordBlock(type, block, node));
                default -> {
                    if (node.has("did") && node.has("sig") && node.has("data")) {
                        dids.add(node.get("did").asText());
                    }
                }
            }
        }
    }

    /** Plain Jackson CBOR tree: the independent decoding used for the oracle. */
    public static JsonNode plainTree(byte[] cbor) {
        try {
            return PLAIN_CBOR.readTree(cbor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<RecordBlock> posts() {
        return posts;
    }

    public List<RecordBlock> likes() {
        return likes;
    }

    public List<RecordBlock> reposts() {
        return reposts;
    }

    public List<RecordBlock> follows() {
        return follows;
    }

    public List<RecordBlock> profiles() {
        return profiles;
    }

    public List<String> dids() {
        return List.copyOf(dids);
    }
}
