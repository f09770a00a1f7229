package dev.firehose.ingest.delivery;

import dev.firehose.ingest.atproto.PostDelete;

/**
 * Where the decode steps hand the post deletes of a frame ({@code PUBLISH_DELETES}): nowhere, or the stream. A delete
 * is held against its frame like a post (rule D1): the frame's position is not stored before the delete's PubAck.
 */
public interface PostDeletes {

    /** Deletes are not published: the decode steps do not even build them. */
    PostDeletes NONE = (delete, frame) -> {
    };

    /**
     * Publishes {@code delete}, called in its frame's exchange: held against {@code frame} (null: not held) until it is
     * acked, or failed for good.
     */
    void deleted(PostDelete delete, DeliveryWatermark.Frame frame);
}
