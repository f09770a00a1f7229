/**
 * camel-vertx-websocket's client consumer, extended for a firehose source: frames in source order, in line on one
 * event loop, each frame started and finished in the delivery watermark around its exchange, a paused socket while
 * the pipeline is full, {@code ?cursor=} on every connect, one socket at a time, large messages, dead connections
 * found by PING/PONG, reconnects with backoff.
 */
package dev.firehose.ingest.relay;
