package dev.firehose.ingest.atproto;

/** Record key syntax (atproto.com/specs/record-key): 1-512 of {@code A-Za-z0-9 . - _ : ~}, not "." or "..". */
final class RecordKey {

    private RecordKey() {
    }

    static boolean isValid(String rkey) {
        int n = rkey.length();
        if (n == 0 || n > 512 || rkey.equals(".") || rkey.equals("..")) {
            return false;
        }
        for (int i = 0; i < n; i++) {
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
