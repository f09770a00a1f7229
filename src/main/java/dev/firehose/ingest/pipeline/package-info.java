/**
 * The route's steps as thin Camel processors and beans around the codec, and {@code DeliveryWatermark}, which
 * gives the cursor its exact meaning: every accepted post of every frame up to it has its PubAck.
 */
package dev.firehose.ingest.pipeline;
