package dev.firehose.ingest.testsupport;

import java.util.Map;

/**
 * What share of each event {@link SyntheticJetstream} writes, per 100 events, and how far apart their
 * {@code time_us} are on average.
 */
public enum JetstreamMix {

    /**
     * What a {@code wantedCollections=app.bsky.feed.post} connection gets: 85 post creates, 9 post deletes, and the
     * identity (4) and account (2) events Jetstream sends every connection whatever its filter; ~40 events a second.
     */
    POSTS(Map.of(Event.POST, 85, Event.DELETE, 9, Event.IDENTITY, 4, Event.ACCOUNT, 2), 25_000),

    /**
     * No filter, like the relay corpus ({@link SyntheticFirehose}): 50 like creates, 10 reposts, 12 follows, 12 post
     * creates, 8 deletes (of earlier posts or likes), 3 profile updates, 3 identity, 2 account; ~1,500 events a second.
     */
    FIREHOSE(Map.of(Event.LIKE, 50, Event.REPOST, 10, Event.FOLLOW, 12, Event.POST, 12, Event.DELETE, 8,
            Event.PROFILE_UPDATE, 3, Event.IDENTITY, 3, Event.ACCOUNT, 2), 667);

    enum Event { LIKE, REPOST, FOLLOW, POST, DELETE, PROFILE_UPDATE, IDENTITY, ACCOUNT }

    final Map<Event, Integer> perHundred;
    /** Mean gap between two events' {@code time_us}. */
    final long meanGapMicros;

    JetstreamMix(Map<Event, Integer> perHundred, long meanGapMicros) {
        if (perHundred.values().stream().mapToInt(Integer::intValue).sum() != 100) {
            throw new IllegalArgumentException(name() + " does not add up to 100");
        }
        this.perHundred = perHundred;
        this.meanGapMicros = meanGapMicros;
    }

    /** Post creates per 100 events. */
    public int postsPerHundred() {
        return perHundred.getOrDefault(Event.POST, 0);
    }
}
