package dev.firehose.ingest.delivery;

import java.util.IdentityHashMap;
import java.util.Map;

import dev.firehose.ingest.atproto.Post;

/**
 * Which frame each post of an exchange came from, so that whoever holds a post holds the right frame (rule D1).
 * The decoder fills it; it travels as an exchange property ({@link #PROPERTY}), so the split's exchanges carry it too.
 * Keyed by identity: two equal posts are two posts. Used on the consumer's thread only.
 */
public final class PostOrigins {

    /** The exchange property that holds a frame batch's origins. */
    public static final String PROPERTY = "firehosePostOrigins";

    private final Map<Post, DeliveryWatermark.Frame> frames = new IdentityHashMap<>();

    public void add(Post post, DeliveryWatermark.Frame frame) {
        frames.put(post, frame);
    }

    /** The frame {@code post} came from, or null when it is not one of this batch's. */
    public DeliveryWatermark.Frame frameOf(Post post) {
        return frames.get(post);
    }
}
