package dev.firehose.ingest.relay;

import java.time.Duration;

/**
 * How the relay connection behaves.
 *
 * @param maxMessageBytes largest websocket message accepted (relays send commits of several MiB)
 * @param inboxHighBytes  frames queued ahead of the pipeline, in bytes, at which the socket is paused
 * @param inboxHighFrames the same bound in frames
 * @param idleTimeout     a socket that delivers nothing for this long is closed and reconnected
 * @param minBackoff      first reconnect delay; doubles up to {@code maxBackoff}, with jitter
 * @param maxBackoff      longest reconnect delay
 */
public record RelaySettings(int maxMessageBytes, long inboxHighBytes, int inboxHighFrames, Duration idleTimeout,
                            Duration minBackoff, Duration maxBackoff) {

    public RelaySettings withIdleTimeout(Duration timeout) {
        return new RelaySettings(maxMessageBytes, inboxHighBytes, inboxHighFrames, timeout, minBackoff, maxBackoff);
    }

    public static RelaySettings defaults() {
        return new RelaySettings(16 * 1024 * 1024, 8L * 1024 * 1024, 2_000, Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(30));
    }
}
