package dev.firehose.ingest.filter;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.firehose.ingest.atproto.Post;

/**
 * Copy-paste spam: the same text posted again by the same author within a window (by default ten minutes), a
 * reply bot's "Check my profile!" under fifty threads, say. Texts are compared case-insensitively with runs of
 * whitespace as one space, together with the kind of embed: the same words posted again with a picture or a link
 * card added (the human "forgot the image" re-post) are not a copy. Texts under {@value #SHORTEST_COPY} code points
 * are never copies: "gm", "Test", "lol" and the empty text of image posts repeat naturally. The window is measured in the relay's commit {@code time}, not the client's
 * {@code createdAt} (which the author chooses) nor the wall clock (catching up on a backlog would squeeze hours
 * into minutes). Each copy restarts the window, so a bot posting every five minutes stays caught; the first copy
 * is kept.
 *
 * <p>A post without a usable {@code time} (missing, not an RFC 3339 / ISO-8601 instant, or outside the years
 * 0000-9999 that RFC 3339 can write, e.g. {@code +500000000-01-01T00:00:00Z}, which has no epoch milliseconds) is
 * judged at an estimate of the relay's time: the last usable time seen plus the wall-clock time elapsed since it was
 * seen; before any usable time, the wall clock itself. Never an exception. Why not simply the wall clock: while the
 * service catches up on a backlog the relay's times are hours behind it, and a wall-clock time would expire every
 * entry of the window at once.
 *
 * <p>Memory is bounded: one entry per (author, text) seen within the window, 64-bit hashes only, at most
 * {@code maxEntries} (about 90 bytes each); the oldest go first. O(1) per post: a hash of the text, one map
 * look-up, and expired entries dropped from the old end as time moves on. The same post seen again (same URI,
 * e.g. replayed after a reconnect) is not a copy.
 */
public final class DuplicateTextRule implements PostRule {

    public static final String NAME = "duplicate";
    /** Shorter texts are not judged: people repeat short words, and image posts often have no text. */
    public static final int SHORTEST_COPY = 10;

    /** When a (author, text) was last posted, and by which post (hash of its URI). */
    private static final class Seen {
        final long uriHash;
        long atMillis;

        Seen(long uriHash, long atMillis) {
            this.uriHash = uriHash;
            this.atMillis = atMillis;
        }
    }

    private final long windowMillis;
    private final LongSupplier wallClockMillis;
    // Insertion order = order of last posting, so the eldest entry is the first to expire.
    private final LinkedHashMap<Long, Seen> seen;
    // The last usable relay time and the wall clock when it was seen: the base of the estimate for posts without one.
    private boolean relayTimeSeen;
    private long lastRelayMillis;
    private long wallMillisAtLastRelay;

    public DuplicateTextRule(Duration window, int maxEntries, LongSupplier wallClockMillis) {
        this.windowMillis = window.toMillis();
        this.wallClockMillis = wallClockMillis;
        this.seen = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Seen> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public DuplicateTextRule(Duration window, int maxEntries) {
        this(window, maxEntries, System::currentTimeMillis);
    }

    @Override
    public String check(Post post) {
        if (post.text().length() < SHORTEST_COPY || post.textCodePoints() < SHORTEST_COPY) {
            return null;
        }
        return checkCopy(post);
    }

    private synchronized String checkCopy(Post post) {
        long at = timeMillis(post);
        expireBefore(at - windowMillis);
        Long key = textKey(post.author(), post.embed(), post.text());
        long uriHash = hash(post.uri());
        Seen previous = seen.get(key);
        if (previous != null && previous.uriHash != uriHash && Math.abs(at - previous.atMillis) <= windowMillis) {
            seen.remove(key);
            previous.atMillis = Math.max(previous.atMillis, at);
            seen.put(key, previous);
            return NAME;
        }
        if (previous == null || previous.uriHash != uriHash) {
            seen.remove(key);
            seen.put(key, new Seen(uriHash, at));
        }
        return null;
    }

    /** Entries held now (for tests and the memory bound). */
    public synchronized int size() {
        return seen.size();
    }

    private void expireBefore(long cutoff) {
        Iterator<Seen> oldest = seen.values().iterator();
        while (oldest.hasNext() && oldest.next().atMillis < cutoff) {
            oldest.remove();
        }
    }

    /** The post's relay time in epoch millis, or the estimate of it when the post has no usable time. */
    private long timeMillis(Post post) {
        long wall = wallClockMillis.getAsLong();
        long relay = relayMillis(post.time());
        if (relay != NO_TIME) {
            relayTimeSeen = true;
            lastRelayMillis = relay;
            wallMillisAtLastRelay = wall;
            return relay;
        }
        return relayTimeSeen ? lastRelayMillis + Math.max(0, wall - wallMillisAtLastRelay) : wall;
    }

    private static final long NO_TIME = Long.MIN_VALUE;
    // RFC 3339 has four-digit years; inside this range epoch millis neither overflow nor do differences of them.
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Epoch millis of an ISO-8601 instant (Z or an offset) within the years 0000-9999, else {@link #NO_TIME}. */
    static long relayMillis(String time) {
        if (time == null) {
            return NO_TIME;
        }
        Instant instant;
        try {
            instant = Instant.parse(time);
        } catch (DateTimeException e) {
            try {
                instant = OffsetDateTime.parse(time).toInstant();
            } catch (DateTimeException notAnInstant) {
                return NO_TIME;
            }
        }
        return instant.isBefore(EARLIEST) || instant.isAfter(LATEST) ? NO_TIME : instant.toEpochMilli();
    }

    /** 64-bit hash of the author, the embed type and the text, case-folded, whitespace runs as one space, trimmed. */
    static long textKey(String author, String embed, String text) {
        long h = fnv(FNV_OFFSET, author);
        h = (h ^ 0) * FNV_PRIME; // separators: no split of author/embed/text collides with another
        h = fnv(h, embed == null ? "" : embed);
        h = (h ^ 0) * FNV_PRIME;
        boolean space = false;
        boolean started = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp)) {
                space = started;
                continue;
            }
            if (space) {
                h = (h ^ ' ') * FNV_PRIME;
                space = false;
            }
            started = true;
            h = (h ^ Character.toLowerCase(cp)) * FNV_PRIME;
        }
        return mix(h);
    }

    static long hash(String s) {
        return mix(fnv(FNV_OFFSET, s));
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    /** MurmurHash3's finaliser: FNV's low bits are weak, map buckets use them. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
