package dev.firehose.ingest.atproto;

/** Record key syntax (atproto.com/specs/record-key): 1-512 of {@code A-Za-z0-9 . - _ : ~}, not "." or "..". */
final class RecordKey {

    private RecordKey() {
    }

    static boolean isValid(String rkey) {
        return isValid(rkey, 0, rkey.length());
    }

    /** Whether {@code rkey[start, end)} is a record key. */
    static boolean isValid(String rkey, int start, int end) {
        int n = end - start;
        if (n <= 0 || n > 512 || (rkey.charAt(start) == '.' && (n == 1 || (n == 2 && rkey.charAt(start + 1) == '.')))) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = rkey.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
