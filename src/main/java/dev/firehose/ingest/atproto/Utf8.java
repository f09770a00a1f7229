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

    private static boolean continuation(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
