/**
 * nats-firehose-ingest: Bluesky firehose posts into NATS JetStream, on camel-main. {@code Application} starts
 * Camel; {@code IngestConfiguration} wires the beans the YAML routes ({@code routes/*.yaml}) refer to;
 * {@code RoutesReloader} reloads a route file that changed. The data flow itself is in {@code routes/relay.yaml}
 * or {@code routes/jetstream.yaml}, whichever source {@code FIREHOSE_SOURCE} selects.
 */
package dev.firehose.ingest;
