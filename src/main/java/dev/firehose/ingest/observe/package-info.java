/**
 * What operators see: the health checks in Camel's registry ({@code nats}, {@code relay}, {@code pipeline}), the
 * probes' answers and the detailed health report, metrics exported to Micrometer, the stats line.
 */
package dev.firehose.ingest.observe;
