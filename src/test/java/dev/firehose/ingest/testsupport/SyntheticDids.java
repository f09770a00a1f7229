package dev.firehose.ingest.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Made-up {@code did:plc:} identifiers (24 base32 characters), deterministic by seed: authors beyond the fixtures'. */
final class SyntheticDids {

    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private SyntheticDids() {
    }

    static List<String> plc(long seed, int count) {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        List<String> dids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder did = new StringBuilder("did:plc:");
            for (int c = 0; c < 24; c++) {
                did.append(BASE32.charAt(random.nextInt(32)));
            }
            dids.add(did.toString());
        }
        return dids;
    }
}
