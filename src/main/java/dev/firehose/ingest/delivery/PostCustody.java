package dev.firehose.ingest.delivery;

import java.util.IdentityHashMap;
import java.util.Map;

import dev.firehose.ingest.atproto.Post;

/**
 * Who answers for a held post between the moment a batch takes it and the moment the publisher does: the frame it
 * holds back. A post is held when it enters the aggregate EIP ({@link #batched}); whoever takes it out next (the
 * publisher, the failure handler, or the end of its batch's exchange) gets its frame exactly once ({@link #take}),
 * so each held post is acked or failed once, whatever the route did with it (rule D2).
 *
 * <p>Keyed by identity: two posts with equal fields (a hostile frame can repeat a create) are two posts.
 */
public final class PostCustody {

    private final DeliveryWatermark watermark;
    private final Map<Post, DeliveryWatermark.Frame> batched = new IdentityHashMap<>();

    public PostCustody(DeliveryWatermark watermark) {
        this.watermark = watermark;
    }

    /**
     * {@code post} of {@code frame} enters a batch: it is held until someone takes it. Returns false when it could
     * not be held (its frame is already finished) and is therefore not in custody.
     */
    public boolean batched(Post post, DeliveryWatermark.Frame frame) {
        if (!watermark.postHeld(frame)) {
            return false;
        }
        synchronized (batched) {
            DeliveryWatermark.Frame previous = batched.put(post, frame);
            if (previous != null) {
                // The same object batched twice (a route that aggregates twice): the first hold is released.
                watermark.postAcked(previous);
            }
        }
        return true;
    }

    /** Takes {@code post} out of custody: its frame, which the taker must ack or fail; null when not in custody. */
    public DeliveryWatermark.Frame take(Post post) {
        synchronized (batched) {
            return batched.remove(post);
        }
    }

    /** Posts in custody now. */
    public int size() {
        synchronized (batched) {
            return batched.size();
        }
    }
}
