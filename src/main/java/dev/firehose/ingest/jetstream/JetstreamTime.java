package dev.firehose.ingest.jetstream;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Jetstream's {@code time_us} (unix microseconds, the event's cursor) as the ISO-8601 UTC string the relay path puts
 * in a post's {@code time}: millisecond precision, always three fraction digits, {@code Z} suffix, e.g.
 * {@code 2025-04-16T21:31:33.046Z}. Sub-millisecond digits are cut (rounded toward the past, also before 1970).
 */
public final class JetstreamTime {

    /** 0000-01-01T00:00:00.000000Z: the first instant with a four-digit year. */
    public static final long MIN_TIME_US = -62_167_219_200_000_000L;
    /** 9999-12-31T23:59:59.999999Z: the last instant with a four-digit year. */
    public static final long MAX_TIME_US = 253_402_300_799_999_999L;

    // 'uuuu' is the proleptic year (0000 prints as 0000, not as 1 BC); within MIN..MAX it is always four digits
    private static final DateTimeFormatter MILLIS = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private JetstreamTime() {
    }

    /**
     * {@code timeUs} as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. Total: any long is accepted; an instant outside years
     * 0000–9999 ({@link #MIN_TIME_US}..{@link #MAX_TIME_US}) has no such form and gives null. The decoder only
     * accepts {@code time_us} in 0..{@link #MAX_TIME_US}, so a decoded event always has a time string.
     */
    public static String isoMillis(long timeUs) {
        if (timeUs < MIN_TIME_US || timeUs > MAX_TIME_US) {
            return null;
        }
        return MILLIS.format(Instant.ofEpochMilli(Math.floorDiv(timeUs, 1000L)));
    }
}
