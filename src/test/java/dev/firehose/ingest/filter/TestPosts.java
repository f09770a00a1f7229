package dev.firehose.ingest.filter;

import java.util.List;

import dev.firehose.ingest.atproto.Post;

/** Crafted posts for the rules' positive cases. */
final class TestPosts {

    static final String AUTHOR = "did:plc:spammerspammerspammer00";
    static final String TIME = "2025-04-16T21:31:33.046Z";
    private static int next;

    private TestPosts() {
    }

    static Post text(String text) {
        return post(AUTHOR, text, List.of(), TIME);
    }

    static Post post(String author, String text, List<String> langs, String time) {
        return full(author, text, langs, time, List.of(), List.of(), List.of());
    }

    static Post full(String author, String text, List<String> langs, String time, List<String> tags,
                     List<String> mentions, List<String> links) {
        String rkey = "3lmxk35zn" + (next++);
        return new Post("at://" + author + "/app.bsky.feed.post/" + rkey, "bafyfake", author, rkey, text, time, langs,
                1L, time, null, tags, mentions, links, null, List.of());
    }
}
