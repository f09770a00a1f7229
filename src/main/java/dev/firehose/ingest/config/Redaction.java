package dev.firehose.ingest.config;

import java.util.regex.Pattern;

/** Keeps secrets out of logs and endpoints: credentials in URLs are masked before a URL is shown anywhere. */
public final class Redaction {

    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@,\\s]+@");

    private Redaction() {
    }

    /** {@code nats://user:secret@host:4222} becomes {@code nats://***@host:4222}; also in comma-separated lists. */
    public static String url(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceAll("***@");
    }
}
