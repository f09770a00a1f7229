package dev.firehose.ingest.atproto;

/** Strict UTF-8 well-formedness (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
final class Utf8 {

    private Utf8() {
    }

    static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i];
            if (c >= 0) { // ASCII, the common case
                i++;
                continue;
            }
            c &= 0xff;
            if (c >= 0xc2 && c <= 0xdf) {
                if (i + 1 >= end || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c >= 0xe0 && c <= 0xef) {
                if (i + 2 >= end) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                int lo = c == 0xe0 ? 0xa0 : 0x80; // overlong
                int hi = c == 0xed ? 0x9f : 0xbf; // surrogates
                if (c1 < lo || c1 > hi || !continuation(b[i + 2])) {
                    return false;
                }
                i += 3;
            } else if (c >= 0xf0 && c <= 0xf4) {
                if (i + 3 >= end) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                int lo = c == 0xf0 ? 0x90 : 0x80; // overlong
                int hi = c == 0xf4 ? 0x8f : 0xbf; // above U+10FFFF
                if (c1 < lo || c1 > hi || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * The UTF-8 length of {@code s} if it is at most {@code limit} bytes, {@code limit + 1} as soon as it is known to
     * be longer, or -1 if {@code s} holds an unpaired surrogate (no UTF-8 form; only strings that came from JSON
     * escapes can). O(1) when {@code s} has more chars than {@code limit}: every char is at least one byte.
     */
    static int encodedLength(String s, int limit) {
        int n = s.length();
        if (n > limit) {
            return limit + 1;
        }
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return -1;
            } else {
                bytes += 3;
            }
            if (bytes > limit) {
                return limit + 1;
            }
        }
        return bytes;
    }

    private static boolean continuation(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
