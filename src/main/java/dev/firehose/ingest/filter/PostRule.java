package dev.firehose.ingest.filter;

import dev.firehose.ingest.atproto.Post;

/** One reason to keep a post off the stream. Called once per post, on the ingest thread: keep it cheap. */
@FunctionalInterface
public interface PostRule {

    /** The name of the rule that rejects {@code post} (a metric label, {@code [a-z_]+}), or null when it passes. */
    String check(Post post);
}
