package dev.firehose.ingest.filter;

import dev.firehose.ingest.atproto.Post;

/**
 * Text that is nothing but hashtags, mentions and links (with any punctuation or emoji between them): no word for a
 * reader, nor for the sentiment model downstream. {@code "#nft #crypto #airdrop https://x.example"} is dropped;
 * {@code "new drawing #art"} and an emoji-only post are not (the latter has no tag, mention or link).
 */
public final class OnlyTagsLinksRule implements PostRule {

    public static final String NAME = "only_tags_links";

    @Override
    public String check(Post post) {
        TextTokens tokens = TextTokens.of(post.text());
        boolean hasMarkup = tokens.hashtags() + tokens.mentions() + tokens.links() > 0;
        return hasMarkup && tokens.words() == 0 ? NAME : null;
    }
}
