// Usage (from the project dir):
//   mvn -q -B -o test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test -Dexec.args="-cp %classpath org.openjdk.jmh.Main JetstreamDecoderBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s"
// Add "-prof gc" to the JMH arguments for allocation per op.
package dev.firehose.ingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.jetstream.JetstreamDecoder;
import dev.firehose.ingest.jetstream.JetstreamEvent;
import dev.firehose.ingest.jetstream.MalformedEventException;
import dev.firehose.ingest.testsupport.Fixtures;
import dev.firehose.ingest.testsupport.JetstreamCompressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Decode cost of real Jetstream v1 events (fixtures/jetstream/golden_v1.jsonl): a post create plain and compressed,
 * a like with a decoder that keeps only post records (its record is skipped, not built), an identity event.
 * {@code jacksonTreeOfPost} is the floor a naive decoder pays: plain Jackson readTree of the whole post event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JetstreamDecoderBenchmark {

    private final ObjectMapper json = new ObjectMapper();
    private JetstreamDecoder decoder;
    private JetstreamDecoder postsOnly;
    private byte[] post;
    private byte[] postZstd;
    private byte[] like;
    private byte[] identity;

    @Setup
    public void load() throws IOException, MalformedEventException {
        List<String> lines = Files.readAllLines(Fixtures.dir().resolve("jetstream").resolve("golden_v1.jsonl"));
        like = lines.get(0).getBytes(StandardCharsets.UTF_8);
        post = lines.get(1).getBytes(StandardCharsets.UTF_8);
        identity = lines.get(7).getBytes(StandardCharsets.UTF_8);
        postZstd = JetstreamCompressor.jetstream().compress(post);
        decoder = new JetstreamDecoder();
        postsOnly = JetstreamDecoder.builder().recordsOf(Set.of("app.bsky.feed.post")).build();
        if (!decoder.decode(post, false).isCreateIn("app.bsky.feed.post") || postsOnly.decode(like, false).record() != null
                || decoder.decode(identity, false).kind() != JetstreamEvent.Kind.IDENTITY) {
            throw new IllegalStateException("fixture events are not what this benchmark expects");
        }
    }

    @TearDown
    public void close() {
        decoder.close();
        postsOnly.close();
    }

    @Benchmark
    public JetstreamEvent postPlain() throws MalformedEventException {
        return decoder.decode(post, false);
    }

    @Benchmark
    public JetstreamEvent postCompressed() throws MalformedEventException {
        return decoder.decode(postZstd, true);
    }

    @Benchmark
    public JetstreamEvent likeRecordSkipped() throws MalformedEventException {
        return postsOnly.decode(like, false);
    }

    @Benchmark
    public JetstreamEvent identityEvent() throws MalformedEventException {
        return decoder.decode(identity, false);
    }

    @Benchmark
    public JsonNode jacksonTreeOfPost() throws IOException {
        return json.readTree(post);
    }
}
