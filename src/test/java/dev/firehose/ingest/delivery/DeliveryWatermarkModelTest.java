package dev.firehose.ingest.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules D1, D3 and D5 (docs/invariants.md) against a brute-force model: random interleavings of frames started,
 * decoded (forward, replayed, out of start order, or never: malformed), posts held, frames finished in any order,
 * posts acked or failed; for strictly increasing positions (the relay's seq) and for positions that may repeat
 * (Jetstream's time_us), resumed at the stored cursor or a little before it (frames after the replay point taken
 * again).
 * After every step the watermark must equal what the model computes from scratch over the whole history — the
 * position of the last positioned frame in the longest prefix of frames that are finished and hold nothing, or the
 * resume point while that is higher (never back) — and the held posts, open frames and capacity must match.
 * Deterministic seeds; bounded.
 */
class DeliveryWatermarkModelTest {

    private static final int RUNS = 300;
    private static final int STEPS = 400;

    /** The model of one frame: everything the watermark is told about it. */
    private static final class ModelFrame {
        final DeliveryWatermark.Frame real;
        final int index;
        long position = DeliveryWatermark.NONE;
        int held;
        boolean finished;

        ModelFrame(DeliveryWatermark.Frame real, int index) {
            this.real = real;
            this.index = index;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theWatermarkEqualsTheBruteForceModelAfterEveryStep(long seedBase) {
        for (int run = 0; run < RUNS; run++) {
            long seed = seedBase * 1_000_003L + run;
            check(new Random(seed), seed);
        }
    }

    private static void check(Random random, long seed) {
        int maxHeld = 1 + random.nextInt(8);
        int maxOpen = 1 + random.nextInt(12);
        long resume = random.nextBoolean() ? DeliveryWatermark.NONE : random.nextInt(50);
        boolean mayRepeat = random.nextBoolean();
        // a rewound resume (Jetstream's): the frames after replayFrom are taken again
        long replayFrom = resume == DeliveryWatermark.NONE || random.nextBoolean() ? resume
                : Math.max(0, resume - random.nextInt(6));
        DeliveryWatermark w = mayRepeat ? new DeliveryWatermark(maxHeld, maxOpen, true)
                : new DeliveryWatermark(maxHeld, maxOpen);
        if (replayFrom == resume && random.nextBoolean()) {
            w.resumeFrom(resume);
        } else {
            w.resumeFrom(resume, replayFrom);
        }
        List<ModelFrame> frames = new ArrayList<>();
        long lastDecoded = replayFrom;
        int lastDecodedIndex = -1;
        long previousWatermark = resume;
        for (int step = 0; step < STEPS; step++) {
            int op = random.nextInt(6);
            String what;
            if (op == 0 || frames.isEmpty()) {
                frames.add(new ModelFrame(w.frameStarted(), frames.size()));
                what = "start";
            } else {
                ModelFrame f = frames.get(random.nextInt(frames.size()));
                switch (op) {
                    case 1 -> {
                        // forward most of the time (or at the same position), sometimes a replay of an old position
                        long position = random.nextInt(4) == 0 ? Math.max(0, lastDecoded - random.nextInt(3))
                                : Math.max(0, lastDecoded + random.nextInt(4));
                        boolean notReplay = mayRepeat ? position >= lastDecoded : position > lastDecoded;
                        boolean expected = notReplay && f.index >= lastDecodedIndex && !f.finished
                                && f.position == DeliveryWatermark.NONE;
                        assertThat(w.frameDecoded(f.real, position)).as(ctx(seed, step, "decode")).isEqualTo(expected);
                        if (expected) {
                            f.position = position;
                            lastDecoded = position;
                            lastDecodedIndex = f.index;
                        }
                        what = "decode " + position;
                    }
                    case 2 -> {
                        boolean expected = !f.finished;
                        assertThat(w.postHeld(f.real)).as(ctx(seed, step, "hold")).isEqualTo(expected);
                        if (expected) {
                            f.held++;
                        }
                        what = "hold";
                    }
                    case 3 -> {
                        w.frameFinished(f.real);
                        f.finished = true;
                        what = "finish";
                    }
                    default -> {
                        ModelFrame holding = anyHolding(frames, random);
                        if (holding == null) {
                            continue;
                        }
                        if (random.nextBoolean()) {
                            w.postAcked(holding.real);
                        } else {
                            w.postFailed(holding.real);
                        }
                        holding.held--;
                        what = "release";
                    }
                }
            }
            long expectedWatermark = resume;
            int durable = 0;
            for (ModelFrame f : frames) {
                if (!f.finished || f.held > 0) {
                    break;
                }
                durable++;
                if (f.position != DeliveryWatermark.NONE && f.position > expectedWatermark) {
                    expectedWatermark = f.position;
                }
            }
            int held = frames.stream().mapToInt(f -> f.held).sum();
            int open = frames.size() - durable;
            String at = ctx(seed, step, what) + (mayRepeat ? ", positions may repeat" : "") + ", resumed at "
                    + resume + " replaying from " + replayFrom;
            assertThat(w.watermark()).as(at).isEqualTo(expectedWatermark);
            assertThat(w.watermark()).as(at + ": never moves back").isGreaterThanOrEqualTo(previousWatermark);
            assertThat(w.heldPosts()).as(at).isEqualTo(held);
            assertThat(w.openFrames()).as(at).isEqualTo(open);
            assertThat(w.hasCapacity()).as(at).isEqualTo(held < maxHeld && open < maxOpen);
            assertThat(w.lastDecoded()).as(at).isEqualTo(lastDecoded);
            previousWatermark = expectedWatermark;
        }
    }

    private static ModelFrame anyHolding(List<ModelFrame> frames, Random random) {
        List<ModelFrame> holding = frames.stream().filter(f -> f.held > 0).toList();
        return holding.isEmpty() ? null : holding.get(random.nextInt(holding.size()));
    }

    private static String ctx(long seed, int step, String what) {
        return "seed " + seed + ", step " + step + " (" + what + ")";
    }
}
