package dev.firehose.ingest.filter;

import java.util.List;

import dev.firehose.ingest.atproto.Post;

/** Rules applied in order; the first that rejects names the reason. Put cheap and stateless rules first. */
public final class PostRules implements PostRule {

    private final PostRule[] rules;

    public PostRules(List<PostRule> rules) {
        this.rules = rules.toArray(new PostRule[0]);
    }

    @Override
    public String check(Post post) {
        for (PostRule rule : rules) {
            String rejectedBy = rule.check(post);
            if (rejectedBy != null) {
                return rejectedBy;
            }
        }
        return null;
    }

    /** How many rules are on. */
    public int size() {
        return rules.length;
    }
}
