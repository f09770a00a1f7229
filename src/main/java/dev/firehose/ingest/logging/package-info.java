/**
 * Logging-layer masking: a log4j2 rewrite policy in front of the console appender masks secrets in every log line,
 * whichever library writes it and at every level (see {@code log4j2.xml}).
 */
package dev.firehose.ingest.logging;
