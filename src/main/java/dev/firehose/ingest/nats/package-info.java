/**
 * Everything that talks to NATS besides the route's camel-nats endpoint: the one shared connection and its
 * credentials ({@code NatsSession}, {@code NatsConnector}), stream and bucket set-up, the cursor key with
 * compare-and-set writes, and the dead-letter subject.
 */
package dev.firehose.ingest.nats;
