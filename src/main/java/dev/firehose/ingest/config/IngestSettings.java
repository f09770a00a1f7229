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
        URI firehoseUrl,
        Duration firehoseIdleTimeout,
        Duration firehosePingTimeout,
        Duration firehoseReadLinger,
        boolean resetOnFutureCursor,
        int maxFrameBytes,
        String startCursor,
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
        FilterSettings filters,
        int batchSize,
        long batchTimeoutMillis,
        int cursorSaveInterval,
        String serviceName,
        int maxPendingPosts,
        int publishWindow,
        String routesDirectory,
        long routesReloadIntervalMillis) {

    /** Whether malformed frames are also published, raw, to {@link #deadLetterSubject()}. */
    public boolean deadLettersEnabled() {
        return !deadLetterSubject.isEmpty();
    }
}
