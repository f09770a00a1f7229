package dev.firehose.ingest.atproto;

/**
 * The primary language subtag of a declared language, as both the NATS subject ({@link Post#subjectLanguage()}) and
 * the language filter read it, so that a post kept as {@code en} is also published as {@code en}.
 */
public final class LanguageTags {

    private LanguageTags() {
    }

    /**
     * The lower-cased primary subtag of {@code tag} when it is an ISO 639 code: two or three ASCII letters, then the
     * end of the tag, {@code -} or {@code _} ({@code en-US}, {@code EN} and {@code en_GB} are {@code en}; the
     * underscore is not BCP-47, but some clients write it). Anything else gives null: digits, one letter or four and
     * more ({@code x-private}, the reserved and registered 4-8 letter subtags, which no real post uses), whitespace,
     * punctuation, non-ASCII letters (checked before lower-casing, so the Kelvin sign does not become {@code k}).
     * The result is therefore always a safe NATS subject token of at most three characters.
     */
    public static String primarySubtag(String tag) {
        if (tag == null) {
            return null;
        }
        int n = 0;
        while (n < tag.length() && isAsciiLetter(tag.charAt(n))) {
            n++;
            if (n > 3) {
                return null;
            }
        }
        if (n < 2 || (n < tag.length() && tag.charAt(n) != '-' && tag.charAt(n) != '_')) {
            return null;
        }
        char[] primary = new char[n];
        for (int i = 0; i < n; i++) {
            primary[i] = (char) (tag.charAt(i) | 0x20); // ASCII letter to lower case
        }
        return new String(primary);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
