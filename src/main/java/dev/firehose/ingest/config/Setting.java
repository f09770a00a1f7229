package dev.firehose.ingest.config;

/**
 * The settings, each with the Camel property that carries it and the environment variable that sets it.
 * Defaults live in {@code application.properties} (as {@code {{env:NAME:default}}}), so they are written once.
 */
public enum Setting {
    FIREHOSE_SOURCE("firehose.source"),
    FIREHOSE_URL("firehose.url"),
    FIREHOSE_IDLE_TIMEOUT_MS("firehose.idle-timeout-ms"),
    FIREHOSE_PING_TIMEOUT_MS("firehose.ping-timeout-ms"),
    FIREHOSE_READ_LINGER_MS("firehose.read-linger-ms"),
    FIREHOSE_RESET_ON_FUTURE_CURSOR("firehose.reset-on-future-cursor"),
    FIREHOSE_MAX_FRAME_BYTES("firehose.max-frame-bytes"),
    FIREHOSE_START_CURSOR("firehose.start-cursor"),
    JETSTREAM_URL("jetstream.url"),
    JETSTREAM_COMPRESS("jetstream.compress"),
    NATS_URL("nats.url"),
    NATS_STREAM("nats.stream"),
    NATS_SUBJECT("nats.subject"),
    NATS_KV_BUCKET("nats.kv-bucket"),
    NATS_STREAM_MAX_AGE("nats.stream-max-age"),
    NATS_STREAM_MAX_BYTES("nats.stream-max-bytes"),
    NATS_STREAM_REPLICAS("nats.stream-replicas"),
    NATS_DUPLICATE_WINDOW("nats.duplicate-window"),
    NATS_DLQ_SUBJECT("nats.dlq-subject"),
    PUBLISH_DELETES("nats.publish-deletes"),
    NATS_DELETE_SUBJECT("nats.delete-subject"),
    NATS_USER("nats.user"),
    NATS_PASSWORD("nats.password"),
    NATS_TOKEN("nats.token"),
    NATS_CREDS("nats.creds"),
    NATS_NKEY_SEED_FILE("nats.nkey-seed-file"),
    NATS_TLS_CA("nats.tls-ca"),
    NATS_TLS_CERT("nats.tls-cert"),
    NATS_TLS_KEY("nats.tls-key"),
    ENABLE_TEXT_FILTERING("filter.enabled"),
    MIN_TEXT_LENGTH("filter.min-text-length"),
    MAX_TEXT_LENGTH("filter.max-text-length"),
    BATCH_SIZE("batch.size"),
    BATCH_TIMEOUT_MS("batch.timeout"),
    CURSOR_SAVE_INTERVAL("cursor.save-interval"),
    SERVICE_NAME("service.name"),
    MAX_PENDING_POSTS("pipeline.max-pending-posts"),
    NATS_PUBLISH_WINDOW("nats.publish-window"),
    ROUTES_DIR("routes.directory"),
    ROUTES_RELOAD_INTERVAL_MS("routes.reload-interval-ms"),
    FILTER_LANGUAGES("filter.languages"),
    FILTER_KEEP_UNDECLARED_LANGUAGE("filter.keep-undeclared-language"),
    FILTER_MAX_HASHTAGS("filter.max-hashtags"),
    FILTER_MAX_MENTIONS("filter.max-mentions"),
    FILTER_MAX_LINKS("filter.max-links"),
    FILTER_REJECT_ONLY_TAGS_LINKS("filter.reject-only-tags-links"),
    FILTER_MAX_REPEATED_CHARS("filter.max-repeated-chars"),
    FILTER_DUPLICATE_WINDOW("filter.duplicate-window"),
    FILTER_DUPLICATE_MAX_ENTRIES("filter.duplicate-max-entries"),
    FILTER_PHRASES_FILE("filter.phrases-file"),
    FILTER_BLOCKED_DIDS_FILE("filter.blocked-dids-file"),
    FILTER_LISTS_CHECK_INTERVAL_MS("filter.lists-check-interval-ms");

    private final String property;

    Setting(String property) {
        this.property = property;
    }

    /** The Camel property key, as used in routes: {@code {{batch.size}}}. */
    public String property() {
        return property;
    }

    /** The environment variable an operator sets. */
    public String env() {
        return name();
    }
}
