package dev.firehose.ingest.testsupport;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A post create the ingest is expected to publish from a Jetstream event: the fields of {@link ExpectedPost} (same
 * oracle: plain Jackson CBOR on the fixture block), no relay seq, and {@code time} = the event's {@code time_us} at
 * millisecond precision ({@code 2025-04-16T21:31:33.046Z}), formatted here independently of the production code.
 */
public record ExpectedJetstreamPost(String uri, String cid, String author, String rkey, String text,
                                    String createdAt, List<String> langs, long timeUs, String time) {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static ExpectedJetstreamPost of(String did, String rkey, CarBlock record, long timeUs) {
        ExpectedPost fields = ExpectedPosts.of(did, rkey, record, 0); // seq has no meaning for Jetstream: dropped
        return new ExpectedJetstreamPost(fields.uri(), fields.cid(), fields.author(), fields.rkey(), fields.text(),
                fields.createdAt(), fields.langs(), timeUs, isoMillis(timeUs));
    }

    /** The same post from an event at {@code timeUs}. */
    public ExpectedJetstreamPost at(long timeUs) {
        return new ExpectedJetstreamPost(uri, cid, author, rkey, text, createdAt, langs, timeUs, isoMillis(timeUs));
    }

    /** {@code time_us} as the service publishes it: {@code 2025-04-16T21:31:33.046Z}. */
    static String isoMillis(long timeUs) {
        return MILLIS.format(Instant.EPOCH.plus(timeUs, ChronoUnit.MICROS));
    }

    /** The posts the service publishes with its default filter (see {@link ExpectedPosts#acceptedByDefaultFilter}). */
    public static List<ExpectedJetstreamPost> acceptedByDefaultFilter(List<ExpectedJetstreamPost> created) {
        return created.stream().filter(post -> ExpectedPosts.defaultFilterKeeps(post.text())).toList();
    }
}
