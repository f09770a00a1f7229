package dev.firehose.ingest.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.firehose.ingest.config.NatsAuth;

/**
 * Reads and checks {@link IngestSettings}. A value that cannot work stops start-up with an
 * {@link InvalidSettingException} that names the environment variable, instead of failing later and obscurely.
 */
public final class SettingsReader {

    // NATS subject tokens: no wildcards, no whitespace, no empty tokens.
    private static final Pattern SUBJECT = Pattern.compile("[^.*>\\s]+(\\.[^.*>\\s]+)*");
    // Stream and bucket names may not contain separators or wildcards.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    // BCP-47 primary language subtag: 2-3 letters (ISO 639), what a post's language is reduced to.
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");
    /** 2001-09-09T01:46:40Z in microseconds: Jetstream reads a smaller cursor as a v2 sequence number. */
    private static final long MIN_JETSTREAM_TIME_US = 1_000_000_000_000_000L;

    private final Function<String, String> properties;

    /** @param properties resolves a property key to its value, or null when it is not set */
    public SettingsReader(Function<String, String> properties) {
        this.properties = properties;
    }

    public IngestSettings read() {
        String subject = matching(Setting.NATS_SUBJECT, SUBJECT, "dot-separated tokens without wildcards");
        FirehoseSource source = source(Setting.FIREHOSE_SOURCE);
        String deadLetterSubject = deadLetterSubject(subject);
        boolean publishDeletes = bool(Setting.PUBLISH_DELETES);
        IngestSettings settings = new IngestSettings(
                source,
                websocketUrl(Setting.FIREHOSE_URL),
                Duration.ofMillis(longAtLeast(Setting.FIREHOSE_IDLE_TIMEOUT_MS, 0)),
                Duration.ofMillis(longAtLeast(Setting.FIREHOSE_PING_TIMEOUT_MS, 300)),
                Duration.ofMillis(longBetween(Setting.FIREHOSE_READ_LINGER_MS, 0, 1_000)),
                bool(Setting.FIREHOSE_RESET_ON_FUTURE_CURSOR),
                intBetween(Setting.FIREHOSE_MAX_FRAME_BYTES, 1024, 64 * 1024 * 1024),
                startCursor(Setting.FIREHOSE_START_CURSOR, source),
                websocketUrl(Setting.JETSTREAM_URL),
                bool(Setting.JETSTREAM_COMPRESS),
                natsUrl(Setting.NATS_URL),
                natsAuth(),
                matching(Setting.NATS_STREAM, NAME, "letters, digits, '-' and '_'"),
                subject,
                matching(Setting.NATS_KV_BUCKET, NAME, "letters, digits, '-' and '_'"),
                duration(Setting.NATS_STREAM_MAX_AGE),
                longAtLeast(Setting.NATS_STREAM_MAX_BYTES, -1),
                intBetween(Setting.NATS_STREAM_REPLICAS, 1, 5),
                positiveDuration(Setting.NATS_DUPLICATE_WINDOW),
                deadLetterSubject,
                publishDeletes,
                publishDeletes ? deleteSubject(subject, deadLetterSubject) : optional(Setting.NATS_DELETE_SUBJECT),
                filters(),
                intBetween(Setting.BATCH_SIZE, 1, 100_000),
                longAtLeast(Setting.BATCH_TIMEOUT_MS, 1),
                intBetween(Setting.CURSOR_SAVE_INTERVAL, 1, Integer.MAX_VALUE),
                nonBlank(Setting.SERVICE_NAME),
                intBetween(Setting.MAX_PENDING_POSTS, 1, 10_000_000),
                intBetween(Setting.NATS_PUBLISH_WINDOW, 1, 100_000),
                nonBlank(Setting.ROUTES_DIR),
                longAtLeast(Setting.ROUTES_RELOAD_INTERVAL_MS, 0));
        if (settings.maxPendingPosts() < settings.batchSize()) {
            // the bound would keep a batch from ever filling: every batch would wait for its timeout
            throw new InvalidSettingException(Setting.MAX_PENDING_POSTS.env() + " (" + settings.maxPendingPosts()
                    + ") must be at least " + Setting.BATCH_SIZE.env() + " (" + settings.batchSize() + ")");
        }
        return settings;
    }

    private FilterSettings filters() {
        int minText = nonNegativeInt(Setting.MIN_TEXT_LENGTH);
        int maxText = nonNegativeInt(Setting.MAX_TEXT_LENGTH);
        if (minText > maxText) {
            throw new InvalidSettingException(Setting.MIN_TEXT_LENGTH.env() + " (" + minText + ") must not exceed "
                    + Setting.MAX_TEXT_LENGTH.env() + " (" + maxText + ")");
        }
        return new FilterSettings(
                bool(Setting.ENABLE_TEXT_FILTERING),
                minText,
                maxText,
                languages(Setting.FILTER_LANGUAGES),
                bool(Setting.FILTER_KEEP_UNDECLARED_LANGUAGE),
                nonNegativeInt(Setting.FILTER_MAX_HASHTAGS),
                nonNegativeInt(Setting.FILTER_MAX_MENTIONS),
                nonNegativeInt(Setting.FILTER_MAX_LINKS),
                bool(Setting.FILTER_REJECT_ONLY_TAGS_LINKS),
                nonNegativeInt(Setting.FILTER_MAX_REPEATED_CHARS),
                duration(Setting.FILTER_DUPLICATE_WINDOW),
                intBetween(Setting.FILTER_DUPLICATE_MAX_ENTRIES, 1, 10_000_000),
                readableFile(Setting.FILTER_PHRASES_FILE),
                readableFile(Setting.FILTER_BLOCKED_DIDS_FILE),
                longAtLeast(Setting.FILTER_LISTS_CHECK_INTERVAL_MS, 0));
    }

    /** Comma-separated primary language subtags ({@code en,pt,ja}), lower-cased; empty = every language. */
    private Set<String> languages(Setting setting) {
        Set<String> out = new LinkedHashSet<>();
        for (String tag : optional(setting).split(",")) {
            String primary = tag.trim().toLowerCase(Locale.ROOT);
            if (primary.isEmpty()) {
                continue;
            }
            if (!LANGUAGE.matcher(primary).matches()) {
                throw invalid(setting, optional(setting), "comma-separated primary language subtags such as en,pt,ja"
                        + " ('" + tag.trim() + "' is not one; a post's en-US counts as en)");
            }
            out.add(primary);
        }
        return out;
    }

    /**
     * {@code relay} or {@code jetstream}, exactly: the value also names the route file that is loaded
     * ({@code routes/<value>.yaml}), so {@code Jetstream} or {@code " relay"} would load none.
     */
    private FirehoseSource source(Setting setting) {
        String value = properties.apply(setting.property());
        FirehoseSource source = FirehoseSource.ofId(value);
        if (source == null) {
            throw invalid(setting, value == null ? "" : value, "relay or jetstream (lower case)");
        }
        return source;
    }

    /**
     * Empty (the stored cursor), {@code live}, or a non-negative position of the selected source: a relay seq, or a
     * Jetstream {@code time_us} of at least 10^15 (the current Jetstream server reads a smaller cursor as its own
     * sequence number, not a time: docs/jetstream.md).
     */
    private String startCursor(Setting setting, FirehoseSource source) {
        String value = optional(setting).toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals("live")) {
            return value;
        }
        long minimum = source == FirehoseSource.JETSTREAM ? MIN_JETSTREAM_TIME_US : 0;
        try {
            if (Long.parseLong(value) >= minimum) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(setting, value, source == FirehoseSource.JETSTREAM
                ? "a Jetstream time_us in microseconds, at least 1000000000000000 (FIREHOSE_SOURCE=jetstream), or live"
                : "a relay seq (a non-negative integer) or live");
    }

    private NatsAuth natsAuth() {
        NatsAuth auth = new NatsAuth(optional(Setting.NATS_USER), optional(Setting.NATS_PASSWORD),
                optional(Setting.NATS_TOKEN), readableFile(Setting.NATS_CREDS), readableFile(Setting.NATS_NKEY_SEED_FILE),
                readableFile(Setting.NATS_TLS_CA), readableFile(Setting.NATS_TLS_CERT), readableFile(Setting.NATS_TLS_KEY));
        if (!auth.password().isEmpty() && auth.user().isEmpty()) {
            throw new InvalidSettingException(Setting.NATS_PASSWORD.env() + " is set but " + Setting.NATS_USER.env()
                    + " is not");
        }
        if (!auth.token().isEmpty() && !auth.user().isEmpty()) {
            // the NATS client refuses the pair at connect time ("Options can't have token and username")
            throw new InvalidSettingException(Setting.NATS_TOKEN.env() + " and " + Setting.NATS_USER.env()
                    + " are both set: NATS takes a token or a user, not both");
        }
        if (!auth.tlsCert().isEmpty() != !auth.tlsKey().isEmpty()) {
            throw new InvalidSettingException(Setting.NATS_TLS_CERT.env() + " and " + Setting.NATS_TLS_KEY.env()
                    + " go together (mutual TLS)");
        }
        return auth;
    }

    private String optional(Setting setting) {
        String value = properties.apply(setting.property());
        return value == null ? "" : value.trim();
    }

    /** An optional path that, when set, must name a readable file (its content is never shown). */
    private String readableFile(Setting setting) {
        String value = optional(setting);
        if (!value.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(value))) {
            throw invalid(setting, value, "a readable file");
        }
        return value;
    }

    /** Optional; when set it must not fall inside the posts stream, or bad frames would be stored as posts. */
    private String deadLetterSubject(String postsSubject) {
        String value = properties.apply(Setting.NATS_DLQ_SUBJECT.property());
        if (value == null || value.isBlank()) {
            return "";
        }
        value = value.trim();
        if (!SUBJECT.matcher(value).matches()) {
            throw invalid(Setting.NATS_DLQ_SUBJECT, value, "dot-separated tokens without wildcards");
        }
        if (value.equals(postsSubject) || value.startsWith(postsSubject + ".")) {
            throw invalid(Setting.NATS_DLQ_SUBJECT, value, "a subject outside " + Setting.NATS_SUBJECT.env()
                    + ".> (the posts stream)");
        }
        return value;
    }

    /**
     * When deletes are published: a subject outside the posts' {@code NATS_SUBJECT.>} (consumers of the posts must not
     * receive deletes) and other than the dead-letter subject (which is not in the stream).
     */
    private String deleteSubject(String postsSubject, String deadLetterSubject) {
        String value = matching(Setting.NATS_DELETE_SUBJECT, SUBJECT, "dot-separated tokens without wildcards");
        if (value.equals(postsSubject) || value.startsWith(postsSubject + ".")) {
            throw invalid(Setting.NATS_DELETE_SUBJECT, value, "a subject outside " + Setting.NATS_SUBJECT.env()
                    + ".> (posts-only consumers subscribe there)");
        }
        if (value.equals(deadLetterSubject)) {
            throw invalid(Setting.NATS_DELETE_SUBJECT, value, "a subject other than " + Setting.NATS_DLQ_SUBJECT.env()
                    + " (the stream would keep the dead letters)");
        }
        return value;
    }

    private String raw(Setting setting) {
        String value = properties.apply(setting.property());
        if (value == null || value.isBlank()) {
            throw new InvalidSettingException(setting.env() + " is not set");
        }
        return value.trim();
    }

    private String nonBlank(Setting setting) {
        return raw(setting);
    }

    private String matching(Setting setting, Pattern pattern, String expected) {
        String value = raw(setting);
        if (!pattern.matcher(value).matches()) {
            throw invalid(setting, value, expected);
        }
        return value;
    }

    private int nonNegativeInt(Setting setting) {
        return intBetween(setting, 0, Integer.MAX_VALUE);
    }

    private int intBetween(Setting setting, int min, int max) {
        return (int) longBetween(setting, min, max);
    }

    private long longBetween(Setting setting, long min, long max) {
        long value = longAtLeast(setting, min);
        if (value > max) {
            throw invalid(setting, raw(setting), "an integer from " + min + " to " + max);
        }
        return value;
    }

    private long longAtLeast(Setting setting, long min) {
        String value = raw(setting);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min) {
                throw invalid(setting, value, "an integer of at least " + min);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(setting, value, "an integer of at least " + min);
        }
    }

    private boolean bool(Setting setting) {
        String value = raw(setting).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw invalid(setting, value, "true or false");
        };
    }

    /** Durations as {@code 600}, {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}; 0 means none. */
    private Duration duration(Setting setting) {
        String value = raw(setting).toLowerCase(Locale.ROOT);
        var m = DURATION.matcher(value);
        if (!m.matches()) {
            throw invalid(setting, value, "a duration such as 500ms, 30s, 10m, 2h or 7d");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private Duration positiveDuration(Setting setting) {
        Duration value = duration(setting);
        if (value.isZero()) {
            throw invalid(setting, raw(setting), "a duration above zero");
        }
        return value;
    }

    private URI websocketUrl(Setting setting) {
        String value = raw(setting);
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
                throw invalid(setting, value, "a ws:// or wss:// URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(setting, value, "a ws:// or wss:// URL with a host");
        }
    }

    /**
     * One or more comma-separated nats://, tls:// (or bare host:port) server URLs. A URL without a scheme
     * ({@code user:pw@host:4222}) is given {@code nats://}, so it reads as user-info and host everywhere (and is
     * masked as such); a value that does not parse is reported with its credentials masked.
     */
    private String natsUrl(Setting setting) {
        String value = raw(setting);
        List<String> servers = new ArrayList<>();
        for (String server : value.split(",")) {
            String candidate = server.trim().contains("://") ? server.trim() : "nats://" + server.trim();
            try {
                URI uri = new URI(candidate);
                if (uri.getHost() == null) {
                    throw invalid(setting, Redaction.unparsableUrl(value), "nats://host:port URLs, comma-separated");
                }
            } catch (URISyntaxException e) {
                throw invalid(setting, Redaction.unparsableUrl(value), "nats://host:port URLs, comma-separated");
            }
            servers.add(candidate);
        }
        return String.join(",", servers);
    }

    private static InvalidSettingException invalid(Setting setting, String value, String expected) {
        return new InvalidSettingException(setting.env() + "='" + value + "' is not valid: expected " + expected);
    }
}
