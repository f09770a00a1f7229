package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.testsupport.FixtureFrame;
import dev.firehose.ingest.testsupport.FrameCorpus;

import java.util.List;

/**
 * The real firehose fixtures as binary frames with their AT-JSON form, for the codec tests; loaded and encoded by the
 * test kit's {@link FrameCorpus#allFixtureFrames}. Public for the JMH benchmark.
 */
public final class FirehoseFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private FirehoseFixtures() {
    }

    public static List<FixtureFrame> all() {
        return FrameCorpus.allFixtureFrames();
    }

    public static FixtureFrame byName(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture frame " + name));
    }
}
