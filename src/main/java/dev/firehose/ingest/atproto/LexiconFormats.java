package dev.firehose.ingest.atproto;

import java.util.regex.Pattern;

/**
 * The atproto string formats the codec checks before publishing a value (atproto.com/specs: did, handle, nsid,
 * at-uri, and the lexicon's generic {@code uri}). Every check is ASCII-only where the spec is, and bounded by the
 * spec's length limit, so a value that passes is safe in a NATS header and cannot be arbitrarily long.
 */
final class LexiconFormats {

    /** The DID spec's limit ("at most 2 KB"). */
    static final int MAX_DID_LENGTH = 2048;
    static final int MAX_HANDLE_LENGTH = 253;
    static final int MAX_NSID_LENGTH = 317;
    /** The at-uri and uri formats' limit. */
    static final int MAX_URI_LENGTH = 8192;

    // NSID: reversed domain authority (a first segment not starting with a digit), then a name of letters and digits
    private static final Pattern NSID = Pattern.compile(
            "[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+"
                    + "\\.[a-zA-Z][a-zA-Z0-9]{0,62}");
    private static final Pattern DEF_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]{0,62}");
    private static final Pattern URI_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]{0,63}");

    private LexiconFormats() {
    }

    /**
     * {@code did:<method>:<id>}: method of lower-case letters, id of {@code [a-zA-Z0-9._:%-]} not ending in
     * {@code :} or {@code %}, at most 2048 chars. A loop, not a regex: every commit's repo goes through it.
     */
    static boolean isDid(String s) {
        int n = s.length();
        if (n > MAX_DID_LENGTH || !s.startsWith("did:")) {
            return false;
        }
        int i = 4;
        while (i < n && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') {
            i++;
        }
        if (i == 4 || i + 1 >= n || s.charAt(i) != ':') {
            return false; // no method, or no ':' after it, or an empty id
        }
        for (i++; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '%' || c == '-';
            if (!ok) {
                return false;
            }
        }
        char last = s.charAt(n - 1);
        return last != ':' && last != '%';
    }

    /**
     * A handle: two or more dot-separated labels of 1-63 {@code [a-zA-Z0-9-]} without an edge hyphen, the last
     * starting with a letter; at most 253 chars.
     */
    static boolean isHandle(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_HANDLE_LENGTH) {
            return false;
        }
        int labels = 0;
        int start = 0;
        while (start <= n) {
            int end = s.indexOf('.', start);
            if (end < 0) {
                end = n;
            }
            if (!isLabel(s, start, end)) {
                return false;
            }
            labels++;
            if (end == n) {
                char first = s.charAt(start);
                return labels >= 2 && ((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'));
            }
            start = end + 1;
        }
        return false; // ends with '.'
    }

    /** An NSID ({@code app.bsky.embed.images}): at least three segments, at most 317 chars. */
    static boolean isNsid(String s) {
        return s.length() <= MAX_NSID_LENGTH && NSID.matcher(s).matches();
    }

    /** A lexicon {@code $type}: an NSID, optionally with {@code #name} of one of its definitions. */
    static boolean isTypeName(String s) {
        int hash = s.indexOf('#');
        if (hash < 0) {
            return isNsid(s);
        }
        return isNsid(s.substring(0, hash)) && DEF_NAME.matcher(s).region(hash + 1, s.length()).matches();
    }

    /**
     * The restricted at-uri form that records link with: {@code at://<did or handle>[/<nsid>[/<record key>]]},
     * at most 8 KiB; no query, fragment or trailing slash.
     */
    static boolean isAtUri(String s) {
        if (s.length() > MAX_URI_LENGTH || !s.startsWith("at://")) {
            return false;
        }
        String[] parts = s.substring(5).split("/", -1);
        if (parts.length > 3 || !(isDid(parts[0]) || isHandle(parts[0]))) {
            return false;
        }
        return (parts.length < 2 || isNsid(parts[1])) && (parts.length < 3 || RecordKey.isValid(parts[2]));
    }

    /**
     * The lexicon's generic {@code uri} (facet links): {@code <scheme>:<something>}, at most 8 KiB, without
     * whitespace, control characters, {@code "} or {@code \} (none of which a URI may hold unescaped). Non-ASCII
     * is allowed: clients write IRIs.
     */
    static boolean isUri(String s) {
        int colon = s.indexOf(':');
        if (s.length() > MAX_URI_LENGTH || colon < 1 || colon == s.length() - 1
                || !URI_SCHEME.matcher(s).region(0, colon).matches()) {
            return false;
        }
        for (int i = colon + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '"' || c == '\\' || Character.isISOControl(c) || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLabel(String s, int start, int end) {
        int n = end - start;
        if (n < 1 || n > 63 || s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
