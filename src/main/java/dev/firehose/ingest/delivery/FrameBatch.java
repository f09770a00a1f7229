package dev.firehose.ingest.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames one exchange carries: those the socket delivered in one read, in the order the source sent them, each
 * already started in the watermark (its ticket). Under a backlog a read holds dozens of frames, and one exchange for
 * all of them saves Camel's per-exchange work (unit of work, route metrics, error handling, an empty split) for every
 * frame but the first; at the live rate a batch is one frame. See BENCHMARKS.md for the figures.
 */
public final class FrameBatch {

    private final List<byte[]> frames;
    private final List<DeliveryWatermark.Frame> tickets;

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

    public void add(byte[] frame, DeliveryWatermark.Frame ticket) {
        frames.add(frame);
        tickets.add(ticket);
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
