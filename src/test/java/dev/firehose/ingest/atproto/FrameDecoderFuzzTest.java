package dev.firehose.ingest.atproto;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded mutation fuzzing with a fixed seed: bit flips, truncations, splices, inserted and deleted bytes and
 * "interesting" CBOR heads over the real fixture frames. Whatever comes in, decode either returns an event or throws
 * MalformedFrameException; nothing else (no NPE, no IndexOutOfBounds, no Jackson exception, no Error) escapes, and
 * no single frame takes longer than a bound.
 * <p>
 * CI runs 100,000 mutations with a fixed seed (a few seconds). A longer local run, with any seed (the seed and the
 * mutation index of a failure are printed, so it can be replayed):
 * <pre>
 *   mvn -B -o test -Dtest=FrameDecoderFuzzTest -Dfuzz.iterations=10000000 -Dfuzz.seed=12345
 * </pre>
 * {@code -Dfuzz.max-frame-millis} changes the per-frame bound (default 200).
 */
class FrameDecoderFuzzTest {

    private static final int MUTATIONS = Integer.getInteger("fuzz.iterations", 100_000);
    private static final long SEED = Long.getLong("fuzz.seed", 0x5EEDF00DL);
    private static final long MAX_FRAME_NANOS = Long.getLong("fuzz.max-frame-millis", 200) * 1_000_000L;

    @Test
    void onlyMalformedFrameExceptionEverEscapes() {
        List<byte[]> seeds = FrameMutations.seeds();
        FrameDecoder decoder = new FrameDecoder();
        SplittableRandom random = new SplittableRandom(SEED);
        Map<MalformedFrameException.Reason, Integer> reasons = new EnumMap<>(MalformedFrameException.Reason.class);
        int decoded = 0;
        int problems = 0;
        long slowestNanos = 0;
        int slowestAt = -1;
        int slowestLength = 0;
        long started = System.nanoTime();
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] frame = FrameMutations.mutate(seeds, random);
            long t0 = System.nanoTime();
            try {
                FirehoseEvent event = decoder.decode(frame);
                decoded++;
                assertThat(event.posts()).isNotNull();
                problems += event.recordProblems().size();
            } catch (MalformedFrameException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
            } catch (Throwable t) {
                throw new AssertionError("mutation " + i + " (seed " + SEED + ") escaped as " + t
                        + "; frame " + java.util.HexFormat.of().formatHex(frame, 0, Math.min(frame.length, 200)), t);
            }
            long took = System.nanoTime() - t0;
            if (took > slowestNanos) {
                // A GC pause or a JIT compile can stall one call: a frame counts as slow only if it is slow every
                // time (re-timed only when it would be the new slowest, so this costs next to nothing).
                took = Math.min(took, fastestOf(decoder, frame, 3));
            }
            if (took > slowestNanos) {
                slowestNanos = took;
                slowestAt = i;
                slowestLength = frame.length;
            }
            assertThat(took).as("mutation %d (seed %d, %d bytes) took %d ms", i, SEED, frame.length,
                    took / 1_000_000).isLessThanOrEqualTo(MAX_FRAME_NANOS);
        }
        System.out.printf("fuzz: %d mutations (seed %d) in %.1f s: %d decoded (%d record problems), rejected %s; "
                        + "slowest frame: mutation %d, %d bytes, %.2f ms%n", MUTATIONS, SEED,
                (System.nanoTime() - started) / 1e9, decoded, problems, reasons, slowestAt, slowestLength,
                slowestNanos / 1e6);
        // sanity: the mix really exercised both outcomes and a range of failure reasons
        assertThat(decoded).isGreaterThan(MUTATIONS / 20);
        assertThat(reasons.keySet()).contains(MalformedFrameException.Reason.INVALID_CBOR,
                MalformedFrameException.Reason.BAD_HEADER, MalformedFrameException.Reason.BAD_BODY);
        assertThat(problems).isPositive();
    }

    private static long fastestOf(FrameDecoder decoder, byte[] frame, int runs) {
        long fastest = Long.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long t0 = System.nanoTime();
            try {
                decoder.decode(frame);
            } catch (MalformedFrameException expected) {
                // timing only
            }
            fastest = Math.min(fastest, System.nanoTime() - t0);
        }
        return fastest;
    }
}
