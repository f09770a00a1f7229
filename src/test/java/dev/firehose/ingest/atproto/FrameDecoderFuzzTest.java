package dev.firehose.ingest.atproto;

import dev.firehose.ingest.testsupport.FixtureFrame;
import dev.firehose.ingest.testsupport.FrameBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded mutation fuzzing with a fixed seed: bit flips, truncations, splices, inserted and deleted bytes and
 * "interesting" CBOR heads over the real fixture frames. Whatever comes in, decode either returns an event or throws
 * MalformedFrameException; nothing else (no NPE, no IndexOutOfBounds, no Jackson exception, no Error) escapes.
 */
class FrameDecoderFuzzTest {

    private static final int MUTATIONS = 20_000;
    private static final long SEED = 0x5EEDF00DL;
    private static final byte[] INTERESTING = {0x00, (byte) 0xff, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x5b, 0x5f, 0x7b,
            0x7f, (byte) 0x9b, (byte) 0x9f, (byte) 0xbb, (byte) 0xbf, (byte) 0xd8, 0x2a, (byte) 0xf7, (byte) 0xfb};

    @Test
    void onlyMalformedFrameExceptionEverEscapes() {
        List<byte[]> seeds = seeds();
        FrameDecoder decoder = new FrameDecoder();
        SplittableRandom random = new SplittableRandom(SEED);
        Map<MalformedFrameException.Reason, Integer> reasons = new EnumMap<>(MalformedFrameException.Reason.class);
        int decoded = 0;
        int problems = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] frame = mutate(seeds, random);
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
        }
        System.out.printf("fuzz: %d decoded (%d record problems), rejected %s%n", decoded, problems, reasons);
        // sanity: the mix really exercised both outcomes and a range of failure reasons
        assertThat(decoded).isGreaterThan(MUTATIONS / 20);
        assertThat(reasons.keySet()).contains(MalformedFrameException.Reason.INVALID_CBOR,
                MalformedFrameException.Reason.BAD_HEADER, MalformedFrameException.Reason.BAD_BODY);
        assertThat(problems).isPositive();
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (FixtureFrame f : FirehoseFixtures.all()) {
            seeds.add(f.bytes());
        }
        seeds.add(FrameBuilder.frame(JSON.createObjectNode().put("op", -1),
                JSON.createObjectNode().put("error", "FutureCursor").put("message", "m")));
        seeds.add(FrameBuilder.frame(FrameBuilder.header("#info"), JSON.createObjectNode().put("name", "OutdatedCursor")));
        // the post frames several times over, so record-level paths get their share
        for (FixtureFrame f : FirehoseFixtures.all()) {
            if (f.body().path("ops").toString().contains("app.bsky.feed.post/")) {
                seeds.add(f.bytes());
                seeds.add(f.bytes());
            }
        }
        return seeds;
    }

    private static byte[] mutate(List<byte[]> seeds, SplittableRandom r) {
        byte[] f = seeds.get(r.nextInt(seeds.size())).clone();
        int kind = r.nextInt(7);
        switch (kind) {
            case 0 -> { // flip 1..8 bits
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    f[r.nextInt(f.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return f;
            }
            case 1 -> { // truncate
                return Arrays.copyOf(f, r.nextInt(f.length));
            }
            case 2 -> { // splice the head of one frame onto the tail of another
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                int cut = r.nextInt(f.length);
                int from = r.nextInt(other.length);
                return TestFrames.concat(Arrays.copyOf(f, cut), Arrays.copyOfRange(other, from, other.length));
            }
            case 3 -> { // interesting CBOR head bytes
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    f[r.nextInt(f.length)] = INTERESTING[r.nextInt(INTERESTING.length)];
                }
                return f;
            }
            case 4 -> { // insert a random byte
                int at = r.nextInt(f.length + 1);
                return TestFrames.concat(Arrays.copyOf(f, at), new byte[] {(byte) r.nextInt(256)},
                        Arrays.copyOfRange(f, at, f.length));
            }
            case 5 -> { // delete a byte range
                int at = r.nextInt(f.length);
                int len = 1 + r.nextInt(Math.min(16, f.length - at));
                return TestFrames.concat(Arrays.copyOf(f, at), Arrays.copyOfRange(f, at + len, f.length));
            }
            default -> { // random bytes in a random window
                int at = r.nextInt(f.length);
                int len = 1 + r.nextInt(Math.min(8, f.length - at));
                for (int i = 0; i < len; i++) {
                    f[at + i] = (byte) r.nextInt(256);
                }
                return f;
            }
        }
    }
}
