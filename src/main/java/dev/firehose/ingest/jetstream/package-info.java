/**
 * The Jetstream codec: turns Bluesky Jetstream websocket messages (JSON events, optionally zstd-compressed with
 * Jetstream's dictionary) into {@link dev.firehose.ingest.jetstream.JetstreamEvent}s.
 *
 * <p>Plain Java on Jackson's streaming JSON parser and zstd-jni, no Camel. Entry point:
 * {@link dev.firehose.ingest.jetstream.JetstreamDecoder}. Everything wrong with a message surfaces as
 * {@link dev.firehose.ingest.jetstream.MalformedEventException}. Turning a post record into a published post is the
 * ATProto codec's record mapping, not this package's; {@link dev.firehose.ingest.jetstream.JetstreamTime} gives the
 * post's {@code time}. See {@code docs/jetstream.md}.
 */
package dev.firehose.ingest.jetstream;
