package dev.firehose.ingest.filter;

import dev.firehose.ingest.atproto.Post;

/** Text length in Unicode code points, as the original service counted it. */
public final class TextLengthRule implements PostRule {

    public static final String TOO_SHORT = "too_short";
    public static final String TOO_LONG = "too_long";

    private final int min;
    private final int max;

    public TextLengthRule(int min, int max) {
        this.min = min;
        this.max = max;
    }

    @Override
    public String check(Post post) {
        int length = post.textCodePoints();
        if (length < min) {
            return TOO_SHORT;
        }
        return length > max ? TOO_LONG : null;
    }
}
