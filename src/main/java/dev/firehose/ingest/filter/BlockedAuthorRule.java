package dev.firehose.ingest.filter;

import dev.firehose.ingest.atproto.Post;

/**
 * Authors an operator blocks by DID ({@code FILTER_BLOCKED_DIDS_FILE}, one {@code did:plc:...} a line): known spam
 * accounts, or accounts that asked to be left out of the analysis. Not a text rule: it holds even with
 * {@code ENABLE_TEXT_FILTERING=false}.
 */
public final class BlockedAuthorRule implements PostRule {

    public static final String NAME = "blocked_did";

    private final ListFile dids;

    public BlockedAuthorRule(ListFile dids) {
        this.dids = dids;
    }

    @Override
    public String check(Post post) {
        return dids.entries().contains(post.author()) ? NAME : null;
    }
}
