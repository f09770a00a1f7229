package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code bin/nats-firehose-ingest}, the launcher the image and run.sh start the service with. */
final class Launcher {

    private static final Pattern DEFAULTS = Pattern.compile("(?s)DEFAULTS=\"(.*?)\"");

    private Launcher() {
    }

    /** The JVM options it starts java with before JAVA_OPTS (line continuations joined). */
    static String defaults() {
        try {
            String script = Files.readString(Manifests.PROJECT.resolve("bin/nats-firehose-ingest"));
            Matcher m = DEFAULTS.matcher(script);
            if (!m.find()) {
                throw new IllegalStateException("no DEFAULTS=\"...\" in bin/nats-firehose-ingest");
            }
            return m.group(1).replace("\\\n", " ").replaceAll("\\s+", " ").trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The -Xmx of {@link #defaults()}, in MiB. */
    static long maxHeapMib() {
        Matcher m = Pattern.compile("-Xmx(\\d+)m").matcher(defaults());
        if (!m.find()) {
            throw new IllegalStateException("no -Xmx<N>m in the launcher's defaults: " + defaults());
        }
        return Long.parseLong(m.group(1));
    }
}
