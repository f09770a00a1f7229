package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Binary firehose frames built from the real fixtures.
 * <p>
 * Write a synthetic frame file (for bench/replay.sh):
 * <pre>
 *   java -cp target/test-classes:$(cat target/test-classpath.txt) \
 *       dev.firehose.ingest.testsupport.FrameCorpus OUT_FILE [FRAMES=200000] [FIRST_SEQ=1] [SEED=42]
 * </pre>
 * The file format is described in {@link FrameFile}.
 */
public final class FrameCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile RepoRecords records;

    private FrameCorpus() {
    }

    /**
     * Every frame of every {@code relay-testing-*.json} (files by name, messages in file order), then
     * every {@code firehose_commit_*.json} body as a {@code #commit} frame, re-encoded as binary.
     * Seqs are the fixtures' own, so they are not monotonic across (or even within) scenarios.
     */
    public static List<RelayFrame> fromFixtureScenarios() {
        List<RelayFrame> frames = new ArrayList<>();
        for (Path file : fixtureFiles("relay-testing-")) {
            frames.addAll(fromFixtureFile(file.getFileName().toString()));
        }
        for (Path file : fixtureFiles("firehose_commit_")) {
            frames.addAll(fromFixtureFile(file.getFileName().toString()));
        }
        return frames;
    }

    /** The frames of one fixture file under {@code firehose/}, e.g. {@code relay-testing-post_lifecycle.json}. */
    public static List<RelayFrame> fromFixtureFile(String name) {
        return fixtureFrames(name).stream().map(FixtureFrame::relayFrame).toList();
    }

    /** Every frame of every fixture file under {@code firehose/}, files by name, with their AT-JSON form. */
    public static List<FixtureFrame> allFixtureFrames() {
        List<FixtureFrame> frames = new ArrayList<>();
        for (Path file : fixtureFiles("")) {
            frames.addAll(fixtureFrames(file.getFileName().toString()));
        }
        return frames;
    }

    /**
     * The frames of one fixture file under {@code firehose/} with their AT-JSON form: each {@code messages[].frame}
     * of a {@code relay-testing-*} file, or a {@code firehose_commit_*} body as one {@code #commit} frame.
     */
    public static List<FixtureFrame> fixtureFrames(String fileName) {
        JsonNode json = readJson(Fixtures.firehose(fileName));
        String base = fileName.replace(".json", "");
        List<FixtureFrame> frames = new ArrayList<>();
        if (json.has("messages")) {
            int i = 0;
            for (JsonNode message : json.get("messages")) {
                JsonNode frame = message.get("frame");
                frames.add(fixtureFrame(base + "#" + i++, frame.get("header"), frame.get("body")));
            }
        } else {
            frames.add(fixtureFrame(base, FrameBuilder.header("#commit"), json));
        }
        return frames;
    }

    private static FixtureFrame fixtureFrame(String name, JsonNode header, JsonNode body) {
        return new FixtureFrame(name, header, body, FrameBuilder.frame(header, body));
    }

    /**
     * A deterministic replay of {@code frames} frames, seqs {@code firstSeq, firstSeq+1, ...};
     * the mix is described in {@link SyntheticFirehose} (exactly 10 post creates per 100 frames).
     */
    public static Corpus synthetic(int frames, long firstSeq, long seed) {
        return new SyntheticFirehose(repoRecords(), seed).generate(frames, firstSeq);
    }

    public static void writeFile(Path path, List<RelayFrame> frames) {
        FrameFile.write(path, frames);
    }

    public static List<RelayFrame> readFile(Path path) {
        return FrameFile.read(path);
    }

    static RepoRecords repoRecords() {
        if (records == null) {
            synchronized (FrameCorpus.class) {
                if (records == null) {
                    records = RepoRecords.load();
                }
            }
        }
        return records;
    }

    private static List<Path> fixtureFiles(String prefix) {
        try (Stream<Path> files = Files.list(Fixtures.dir().resolve("firehose"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                            && f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path path) {
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("Usage: FrameCorpus OUT_FILE [FRAMES=200000] [FIRST_SEQ=1] [SEED=42]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        long firstSeq = args.length > 2 ? Long.parseLong(args[2]) : 1;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        long start = System.nanoTime();
        Corpus corpus = synthetic(frames, firstSeq, seed);
        writeFile(out, corpus.frames());
        long bytes = corpus.frames().stream().mapToLong(f -> f.bytes().length).sum();
        System.out.printf("wrote %s: %d frames (seq %d..%d), %d post creates, %d bytes, in %.1f s%n",
                out, corpus.frames().size(), firstSeq, corpus.lastSeq(), corpus.posts().size(), bytes,
                (System.nanoTime() - start) / 1e9);
    }
}
