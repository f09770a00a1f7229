package dev.firehose.ingest.atproto;

import dev.firehose.ingest.testsupport.FixtureFrame;
import dev.firehose.ingest.testsupport.FrameBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;

/**
 * Mutated real frames for the fuzz tests: bit flips, truncations, splices, inserted and deleted bytes and
 * "interesting" CBOR heads over the fixture frames.
 */
final class FrameMutations {

    private static final byte[] INTERESTING = {0x00, (byte) 0xff, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x5b, 0x5f, 0x7b,
            0x7f, (byte) 0x9b, (byte) 0x9f, (byte) 0xbb, (byte) 0xbf, (byte) 0xd8, 0x2a, (byte) 0xf7, (byte) 0xfb};

    private FrameMutations() {
    }

    /** The real fixture frames, an error and an info frame, and the post frames twice more. */
    static List<byte[]> seeds() {
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

    /** One of the seeds, mutated in one of seven ways. */
    static byte[] mutate(List<byte[]> seeds, SplittableRandom r) {
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
