/** The pipeline's counters and histograms, cheap on the hot path, exported to the Micrometer registry Camel scrapes. */
package dev.firehose.ingest.metrics;
