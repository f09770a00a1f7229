package dev.firehose.ingest.relay;

import java.time.Duration;

/**
 * How the relay connection behaves.
 *
 * @param maxMessageBytes largest websocket message accepted: relays send commits of several MiB, and a message over
 *                        this would close the connection and come again on every reconnect, so it is generous; the
 *                        decoder rejects frames over {@code FIREHOSE_MAX_FRAME_BYTES} as malformed instead
 * @param pingInterval    a websocket PING is sent this often while the socket is read
 * @param deadAfter       no frame and no PONG for this long, while the socket is read: the connection is dead (a
 *                        stalled relay, a half-open TCP connection) and is replaced
 * @param idleTimeout     no frame for this long, even with PONGs: the connection is replaced; zero = never (a quiet
 *                        relay that answers pings is left alone)
 * @param readLinger      once caught up (a read found almost nothing waiting), the socket is not read for this long,
 *                        so the next read brings everything that came meanwhile; zero = read as frames come
 * @param minBackoff      first reconnect delay; doubles up to {@code maxBackoff}, with jitter
 * @param maxBackoff      longest reconnect delay
 */
public record RelaySettings(int maxMessageBytes, Duration pingInterval, Duration deadAfter, Duration idleTimeout,
                            Duration readLinger, Duration minBackoff, Duration maxBackoff) {

    public RelaySettings {
        if (pingInterval.isZero() || pingInterval.isNegative() || deadAfter.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("need 0 < pingInterval < deadAfter: " + pingInterval + ", " + deadAfter);
        }
    }

    public RelaySettings withLiveness(Duration deadAfter, Duration idleTimeout) {
        Duration ping = deadAfter.dividedBy(3);
        return new RelaySettings(maxMessageBytes, ping, deadAfter, idleTimeout, readLinger, minBackoff, maxBackoff);
    }

    public RelaySettings withReadLinger(Duration linger) {
        return new RelaySettings(maxMessageBytes, pingInterval, deadAfter, idleTimeout, linger, minBackoff,
                maxBackoff);
    }

    /**
     * 16 MiB messages; a PING every 2 s, dead after 6 s of silence; no idle timeout; a 300 ms read linger
     * (FIREHOSE_READ_LINGER_MS); backoff 1 s to 30 s.
     */
    public static RelaySettings defaults() {
        return new RelaySettings(16 * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ZERO,
                Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }
}
