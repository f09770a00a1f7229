/** What operators see: readiness and the detailed health report, metrics exported to Micrometer, the stats line. */
package dev.firehose.ingest.observe;
