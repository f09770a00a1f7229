/** Settings: every environment variable, its Camel property, and the checks that stop start-up on a bad value. */
package dev.firehose.ingest.config;
