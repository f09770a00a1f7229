/**
 * camel-vertx-websocket's client consumer, extended for a relay: frames in relay order one at a time, a paused
 * socket while the pipeline is full, {@code ?cursor=} on every connect, one socket at a time, large messages,
 * reconnects with backoff and an idle timeout.
 */
package dev.firehose.ingest.relay;
