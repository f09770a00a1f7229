package dev.firehose.ingest.atproto;

/**
 * A bad input value as it may appear in an error message: at most 64 chars, anything but printable ASCII escaped,
 * so that a 2 MB string or one holding CR/LF cannot blow up or forge a log line.
 */
public final class Excerpt {

    private static final int MAX_CHARS = 64;

    private Excerpt() {
    }

    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        int n = Math.min(value.length(), MAX_CHARS);
        StringBuilder s = new StringBuilder(n + 24).append('"');
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= ' ' && c < 0x7f && c != '"' && c != '\\') {
                s.append(c);
            } else {
                s.append(String.format("\\u%04x", (int) c));
            }
        }
        s.append('"');
        if (value.length() > n) {
            s.append("... (").append(value.length()).append(" chars)");
        }
        return s.toString();
    }
}
