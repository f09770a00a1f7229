package dev.firehose.ingest.delivery;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The frames one exchange carries: those the socket delivered in one read, in the order the source sent them, each
 * already started in the watermark (its ticket). Under a backlog a read holds hundreds of frames, and at the live
 * rate the consumer's read linger makes it dozens; one exchange for all of them saves Camel's per-exchange work (unit
 * of work, route metrics, error handling, an empty split) for every frame but the first. See BENCHMARKS.md for the
 * figures.
 *
 * <p>A frame here is one websocket message, binary or text: the relay sends binary CBOR, Jetstream text JSON, or
 * binary zstd with {@code compress=true}, so each frame keeps which it was ({@link #isText}).
 */
public final class FrameBatch {

    private final List<byte[]> frames;
    private final List<DeliveryWatermark.Frame> tickets;
    /** Which frames came as text messages; null while none did (the relay's batches never need it). */
    private BitSet text;

    public FrameBatch(int capacity) {
        this.frames = new ArrayList<>(capacity);
        this.tickets = new ArrayList<>(capacity);
    }

    /** A batch of one frame, for tests and tools that feed a route directly. */
    public static FrameBatch of(byte[] frame, DeliveryWatermark.Frame ticket) {
        FrameBatch batch = new FrameBatch(1);
        batch.add(frame, ticket);
        return batch;
    }

    /** A frame that came as a binary websocket message. */
    public void add(byte[] frame, DeliveryWatermark.Frame ticket) {
        frames.add(frame);
        tickets.add(ticket);
    }

    /** A frame that came as a text message ({@code text}: its bytes are the text's UTF-8) or a binary one. */
    public void add(byte[] frame, boolean text, DeliveryWatermark.Frame ticket) {
        if (text) {
            if (this.text == null) {
                this.text = new BitSet();
            }
            this.text.set(frames.size());
        }
        add(frame, ticket);
    }

    public int size() {
        return frames.size();
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** The bytes of frame {@code i}. */
    public byte[] frame(int i) {
        return frames.get(i);
    }

    /** Whether frame {@code i} came as a websocket text message (else binary). */
    public boolean isText(int i) {
        return text != null && text.get(i);
    }

    /** The watermark's ticket of frame {@code i}; null when the frame is not tracked. */
    public DeliveryWatermark.Frame ticket(int i) {
        return tickets.get(i);
    }

    public long bytes() {
        long n = 0;
        for (byte[] frame : frames) {
            n += frame.length;
        }
        return n;
    }
}
