/**
 * The delivery promise, in plain Java: the watermark that gives the cursor its meaning, the custody of posts between
 * batching and publishing, the failures that release a post, and the checkpointer that stores the cursor. The rules
 * are numbered in docs/invariants.md; the classes name the rule they keep.
 */
package dev.firehose.ingest.delivery;
