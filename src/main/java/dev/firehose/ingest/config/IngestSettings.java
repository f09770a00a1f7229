package dev.firehose.ingest.config;

import java.net.URI;
import java.time.Duration;

import dev.firehose.ingest.config.NatsAuth;

/**
 * Every setting of the service, validated. Built once at start-up by {@link SettingsReader} from the Camel
 * properties in {@code application.properties}, each of which is fed by the environment variable named in
 * {@link Setting}.
 */
public record IngestSettings(
        FirehoseSource source,
        URI firehoseUrl,
        Duration firehoseIdleTimeout,
        Duration firehosePingTimeout,
        Duration firehoseReadLinger,
        boolean resetOnFutureCursor,
        int maxFrameBytes,
        String startCursor,
        URI jetstreamUrl,
        boolean jetstreamCompress,
        String natsUrl,
        NatsAuth natsAuth,
        String natsStream,
        String natsSubject,
        String natsKvBucket,
        Duration streamMaxAge,
        long streamMaxBytes,
        int streamReplicas,
        Duration duplicateWindow,
        String deadLetterSubject,
        boolean publishDeletes,
        String deleteSubject,
        FilterSettings filters,
        int batchSize,
        long batchTimeoutMillis,
        int cursorSaveInterval,
        String serviceName,
        int maxPendingPosts,
        int publishWindow,
        String routesDirectory,
        long routesReloadIntervalMillis) {

    /** The URL of the selected source (for logs: {@code getHost()} only, the rest may carry secrets). */
    public URI sourceUrl() {
        return source == FirehoseSource.JETSTREAM ? jetstreamUrl : firehoseUrl;
    }

    /** The KV key of the selected source's cursor (see {@link FirehoseSource#cursorKey}). */
    public String cursorKey() {
        return source.cursorKey(serviceName);
    }

    /** Whether malformed frames are also published, raw, to {@link #deadLetterSubject()}. */
    public boolean deadLettersEnabled() {
        return !deadLetterSubject.isEmpty();
    }
}
