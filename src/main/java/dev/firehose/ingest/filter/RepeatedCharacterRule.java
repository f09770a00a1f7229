package dev.firehose.ingest.filter;

import dev.firehose.ingest.atproto.Post;

/**
 * Flooding: more than {@code max} of the same character in a row ({@code "🚀🚀🚀…"}, {@code "!!!!…"},
 * {@code "aaaa…"}). Counted in grapheme-ish units, so an emoji is one however it is encoded: a code point with the
 * combining marks, variation selectors, skin-tone modifiers and zero-width-joined parts that follow it, or a pair of
 * regional indicators (a flag). Whitespace never counts: blank lines are layout, not spam.
 */
public final class RepeatedCharacterRule implements PostRule {

    public static final String NAME = "repeated_character";

    private final int max;

    public RepeatedCharacterRule(int max) {
        this.max = max;
    }

    @Override
    public String check(Post post) {
        return longestRun(post.text()) > max ? NAME : null;
    }

    /** The longest run of one repeated non-whitespace unit in {@code text}. */
    static int longestRun(String text) {
        int n = text.length();
        int longest = 0;
        int run = 0;
        int prevStart = 0;
        int prevEnd = 0;
        for (int start = 0; start < n; ) {
            int end = unitEnd(text, start);
            if (Character.isWhitespace(text.codePointAt(start))) {
                run = 0;
            } else if (run > 0 && end - start == prevEnd - prevStart
                    && text.regionMatches(start, text, prevStart, end - start)) {
                run++;
            } else {
                run = 1;
            }
            longest = Math.max(longest, run);
            prevStart = start;
            prevEnd = end;
            start = end;
        }
        return longest;
    }

    /** Where the unit that starts at {@code start} ends. */
    static int unitEnd(String text, int start) {
        int n = text.length();
        int first = text.codePointAt(start);
        int i = start + Character.charCount(first);
        if (isRegionalIndicator(first) && i < n && isRegionalIndicator(text.codePointAt(i))) {
            return i + 2; // a flag: two regional indicators (each a surrogate pair)
        }
        while (i < n) {
            int cp = text.codePointAt(i);
            if (cp == 0x200D) { // zero-width joiner: the next code point belongs to this unit
                i += 1;
                if (i < n) {
                    i += Character.charCount(text.codePointAt(i));
                }
            } else if (isExtending(cp)) {
                i += Character.charCount(cp);
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isExtending(int cp) {
        if (cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0x1F3FB && cp <= 0x1F3FF || cp >= 0xE0020 && cp <= 0xE007F
                || cp == 0x20E3) {
            return true; // variation selectors, skin tones, tag characters (subdivision flags), keycap
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isRegionalIndicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }
}
