/**
 * Everything that talks to NATS: the one shared connection and its credentials ({@code NatsSession},
 * {@code NatsConnector}), stream and bucket set-up, the asynchronous JetStream publisher and the route's
 * {@code nats} component that feeds it, the cursor key with compare-and-set writes, and the dead-letter subject.
 */
package dev.firehose.ingest.nats;
