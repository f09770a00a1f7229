// Usage (from the project dir):
//   mvn -q -B -o test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test -Dexec.args="-cp %classpath org.openjdk.jmh.Main FrameDecoderBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s"
// Add "-prof gc" to the JMH arguments for allocation per op.
package dev.firehose.ingest.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.firehose.ingest.atproto.FirehoseEvent;
import dev.firehose.ingest.atproto.FirehoseFixtures;
import dev.firehose.ingest.atproto.FrameDecoder;
import dev.firehose.ingest.atproto.MalformedFrameException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Decode cost of the three frame shapes that make up the firehose, on real production frames (fixtures/firehose):
 * a like (most traffic; the fast path never touches its CAR), a post create (CAR + hash + record decode) and an
 * #identity. {@code jacksonScanOfLikeFrame} is the floor: a bare Jackson token walk over the same like frame.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameDecoderBenchmark {

    private final FrameDecoder decoder = new FrameDecoder();
    private final CBORFactory cbor = new CBORFactory();
    private byte[] likeFrame;
    private byte[] postFrame;
    private byte[] identityFrame;

    @Setup
    public void load() throws MalformedFrameException {
        likeFrame = FirehoseFixtures.byName("relay-testing-post_lifecycle#0").bytes();
        postFrame = FirehoseFixtures.byName("relay-testing-post_lifecycle#2").bytes();
        identityFrame = FirehoseFixtures.byName("relay-testing-account_lifecycle#0").bytes();
        if (decoder.decode(postFrame).posts().size() != 1 || !decoder.decode(likeFrame).posts().isEmpty()) {
            throw new IllegalStateException("fixture frames are not what this benchmark expects");
        }
    }

    @Benchmark
    public FirehoseEvent likeCommit() throws MalformedFrameException {
        return decoder.decode(likeFrame);
    }

    @Benchmark
    public FirehoseEvent postCommit() throws MalformedFrameException {
        return decoder.decode(postFrame);
    }

    @Benchmark
    public FirehoseEvent identity() throws MalformedFrameException {
        return decoder.decode(identityFrame);
    }

    /** Baseline: every token of the like frame with Jackson alone (byte strings skipped, not copied). */
    @Benchmark
    public int jacksonScanOfLikeFrame() throws IOException {
        int tokens = 0;
        try (JsonParser p = cbor.createParser(likeFrame)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                tokens += t.id();
            }
        }
        return tokens;
    }
}
