package dev.firehose.ingest.atproto;

/**
 * The atproto string formats the codec checks before publishing a value (atproto.com/specs: did, handle, nsid,
 * at-uri, and the lexicon's generic {@code uri}). Every check is ASCII-only where the spec is, and bounded by the
 * spec's length limit, so a value that passes is safe in a NATS header and cannot be arbitrarily long. Index loops,
 * not regexes: they run on every commit (the repo) and every post, and allocate nothing.
 */
final class LexiconFormats {

    /** The DID spec's limit ("at most 2 KB"). */
    static final int MAX_DID_LENGTH = 2048;
    static final int MAX_HANDLE_LENGTH = 253;
    static final int MAX_NSID_LENGTH = 317;
    /** The at-uri and uri formats' limit. */
    static final int MAX_URI_LENGTH = 8192;
    private static final int MAX_LABEL_LENGTH = 63;

    private LexiconFormats() {
    }

    /**
     * {@code did:<method>:<id>}: method of lower-case letters, id of {@code [a-zA-Z0-9._:%-]} not ending in
     * {@code :} or {@code %}, at most 2048 chars.
     */
    static boolean isDid(String s) {
        return isDid(s, 0, s.length());
    }

    /**
     * A handle: two or more dot-separated labels of 1-63 {@code [a-zA-Z0-9-]} without an edge hyphen, the last
     * starting with a letter; at most 253 chars.
     */
    static boolean isHandle(String s) {
        return isHandle(s, 0, s.length());
    }

    /**
     * An NSID ({@code app.bsky.embed.images}): a reversed domain of two or more labels, the first starting with a
     * letter, then a name of 1-63 letters and digits starting with a letter; at most 317 chars.
     */
    static boolean isNsid(String s) {
        return isNsid(s, 0, s.length());
    }

    /** A lexicon {@code $type}: an NSID, optionally with {@code #name} of one of its definitions. */
    static boolean isTypeName(String s) {
        int hash = s.indexOf('#');
        return hash < 0 ? isNsid(s) : isNsid(s, 0, hash) && isName(s, hash + 1, s.length());
    }

    /**
     * The restricted at-uri form that records link with: {@code at://<did or handle>[/<nsid>[/<record key>]]},
     * at most 8 KiB; no query, fragment or trailing slash.
     */
    static boolean isAtUri(String s) {
        int n = s.length();
        if (n > MAX_URI_LENGTH || !s.startsWith("at://")) {
            return false;
        }
        int authorityEnd = endOfSegment(s, 5);
        if (!(isDid(s, 5, authorityEnd) || isHandle(s, 5, authorityEnd))) {
            return false;
        }
        if (authorityEnd == n) {
            return true;
        }
        int collectionEnd = endOfSegment(s, authorityEnd + 1);
        if (!isNsid(s, authorityEnd + 1, collectionEnd)) {
            return false;
        }
        // a record key holds no '/', so a fourth segment fails here
        return collectionEnd == n || RecordKey.isValid(s, collectionEnd + 1, n);
    }

    /**
     * The lexicon's generic {@code uri} (facet links): {@code <scheme>:<something>}, at most 8 KiB, without
     * whitespace, control characters, {@code "} or {@code \} (none of which a URI may hold unescaped). Non-ASCII
     * is allowed: clients write IRIs.
     */
    static boolean isUri(String s) {
        int n = s.length();
        int colon = s.indexOf(':');
        if (n > MAX_URI_LENGTH || colon < 1 || colon > 64 || colon == n - 1 || !isLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = s.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '+' || c == '.' || c == '-')) {
                return false;
            }
        }
        for (int i = colon + 1; i < n; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '"' || c == '\\' || Character.isISOControl(c) || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDid(String s, int start, int end) {
        if (end - start > MAX_DID_LENGTH || !s.startsWith("did:", start)) {
            return false;
        }
        int i = start + 4;
        while (i < end && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') {
            i++;
        }
        if (i == start + 4 || i + 1 >= end || s.charAt(i) != ':') {
            return false; // no method, or no ':' after it, or an empty id
        }
        for (i++; i < end; i++) {
            char c = s.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '.' || c == '_' || c == ':' || c == '%' || c == '-')) {
                return false;
            }
        }
        char last = s.charAt(end - 1);
        return last != ':' && last != '%';
    }

    private static boolean isHandle(String s, int start, int end) {
        if (end - start > MAX_HANDLE_LENGTH) {
            return false;
        }
        int lastDot = s.lastIndexOf('.', end - 1);
        return lastDot > start && labelsFrom(s, start, lastDot) >= 1 && isLabel(s, lastDot + 1, end)
                && isLetter(s.charAt(lastDot + 1));
    }

    private static boolean isNsid(String s, int start, int end) {
        if (end - start > MAX_NSID_LENGTH) {
            return false;
        }
        int lastDot = s.lastIndexOf('.', end - 1);
        return lastDot > start && labelsFrom(s, start, lastDot) >= 2 && isLetter(s.charAt(start))
                && isName(s, lastDot + 1, end);
    }

    /** The number of valid dot-separated labels making up {@code [start, end)}, or -1 if one is not valid. */
    private static int labelsFrom(String s, int start, int end) {
        int labels = 0;
        int i = start;
        while (true) {
            int dot = s.indexOf('.', i);
            int labelEnd = dot < 0 || dot > end ? end : dot;
            if (!isLabel(s, i, labelEnd)) {
                return -1;
            }
            labels++;
            if (labelEnd == end) {
                return labels;
            }
            i = labelEnd + 1;
        }
    }

    /** A domain label: 1-63 of {@code [a-zA-Z0-9-]}, not starting or ending with a hyphen. */
    private static boolean isLabel(String s, int start, int end) {
        int n = end - start;
        if (n < 1 || n > MAX_LABEL_LENGTH || s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** An NSID name or a definition name: 1-63 letters and digits, starting with a letter. */
    private static boolean isName(String s, int start, int end) {
        int n = end - start;
        if (n < 1 || n > MAX_LABEL_LENGTH || !isLetter(s.charAt(start))) {
            return false;
        }
        for (int i = start + 1; i < end; i++) {
            if (!(isLetter(s.charAt(i)) || isDigit(s.charAt(i)))) {
                return false;
            }
        }
        return true;
    }

    private static int endOfSegment(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
