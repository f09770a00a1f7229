package dev.firehose.ingest.filter;

/**
 * What a post's text is made of, in one pass over its whitespace-separated tokens: hashtags, mentions, links, and
 * words (any other token with a letter or a digit). Close to how Bluesky clients detect them, without regexes:
 * <ul>
 *   <li>hashtag: {@code #} or {@code ＃} then at least one character that is not a digit or punctuation
 *       ({@code #art}, {@code #日本}; not {@code #1} nor a lone {@code #});</li>
 *   <li>mention: {@code @} then a handle with a dot ({@code @alice.bsky.social}; not {@code @home});</li>
 *   <li>link: starts with {@code http://} or {@code https://} (bare domains such as {@code example.com} are words:
 *       people write them in passing).</li>
 * </ul>
 * A token may start with an opening bracket or quote ({@code (@alice.bsky.social)}).
 */
public final class TextTokens {

    private int hashtags;
    private int mentions;
    private int links;
    private int words;

    private TextTokens() {
    }

    public static TextTokens of(String text) {
        TextTokens tokens = new TextTokens();
        int n = text.length();
        int i = 0;
        // Char by char: every space character is in the BMP, and a surrogate half is never one.
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens.classify(text, start, i);
            }
        }
        return tokens;
    }

    public int hashtags() {
        return hashtags;
    }

    public int mentions() {
        return mentions;
    }

    public int links() {
        return links;
    }

    /** Tokens with a letter or digit that are not hashtags, mentions or links. */
    public int words() {
        return words;
    }

    private void classify(String text, int start, int end) {
        int s = start;
        while (s < end && isOpening(text.charAt(s))) {
            s++;
        }
        if (s < end) {
            char first = text.charAt(s);
            if ((first == '#' || first == '＃') && isHashtag(text, s + 1, end)) {
                hashtags++;
                return;
            }
            if (first == '@' && isHandle(text, s + 1, end)) {
                mentions++;
                return;
            }
            if (startsWithIgnoreCase(text, s, end, "https://") || startsWithIgnoreCase(text, s, end, "http://")) {
                links++;
                return;
            }
        }
        for (int i = start; i < end; ) {
            int cp = text.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                words++;
                return;
            }
            i += Character.charCount(cp);
        }
    }

    private static boolean isHashtag(String text, int from, int end) {
        for (int i = from; i < end; ) {
            int cp = text.codePointAt(i);
            if (!Character.isDigit(cp) && !isPunctuation(cp) && cp != 0xFE0F) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /** {@code name.domain}: letters, digits, '-' and '.', with a dot inside; trailing punctuation allowed. */
    private static boolean isHandle(String text, int from, int end) {
        int i = from;
        while (i < end && isHandleChar(text.charAt(i))) {
            i++;
        }
        while (i > from && text.charAt(i - 1) == '.') {
            i--; // "@bob.dev." at the end of a sentence
        }
        int dot = text.indexOf('.', from);
        return dot > from && dot < i - 1;
    }

    private static boolean isHandleChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.';
    }

    private static boolean startsWithIgnoreCase(String text, int from, int end, String prefix) {
        return end - from > prefix.length() && text.regionMatches(true, from, prefix, 0, prefix.length());
    }

    private static boolean isOpening(char c) {
        return c == '(' || c == '[' || c == '"' || c == '\'' || c == '“' || c == '「';
    }

    private static boolean isPunctuation(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isSpace(char c) {
        if (c < 0x80) { // the common case, without a Unicode table look-up
            return c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1C && c <= 0x1F;
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
