package dev.firehose.ingest.testsupport;

import java.nio.file.Path;
import java.util.List;

/**
 * Generated Jetstream events (see {@link SyntheticJetstream}: real fixture records, deterministic by seed, strictly
 * increasing {@code time_us}) and the post creates among them, the expected posts of a test.
 * <p>
 * Write an events file (for a benchmark or a replay; format in {@link JetstreamEventFile}):
 * <pre>
 *   mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 *   java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *       dev.firehose.ingest.testsupport.JetstreamCorpus OUT_FILE [EVENTS=200000] [MIX=posts|firehose] [SEED=42] [--zstd]
 * </pre>
 * e.g. {@code bench/out/jetstream-posts-200000.bin}; {@code --zstd} writes the {@code compress=true} messages.
 *
 * @param events in stream order
 * @param posts  every post create, in stream order
 */
public record JetstreamCorpus(JetstreamMix mix, List<JetstreamWireEvent> events, List<ExpectedJetstreamPost> posts) {

    /** {@code count} events of {@code mix} from 2025-04-16T21:30:00Z on. */
    public static JetstreamCorpus generate(JetstreamMix mix, int count, long seed) {
        return generate(mix, count, seed, SyntheticJetstream.DEFAULT_FIRST_TIME_US);
    }

    /** {@code count} events of {@code mix}, the first at {@code firstTimeUs} (e.g. after another corpus' last). */
    public static JetstreamCorpus generate(JetstreamMix mix, int count, long seed, long firstTimeUs) {
        return new SyntheticJetstream(FrameCorpus.repoRecords(), mix, seed, firstTimeUs).generate(count);
    }

    /** What a {@code wantedCollections=app.bsky.feed.post} connection gets ({@link JetstreamMix#POSTS}). */
    public static JetstreamCorpus posts(int count, long seed) {
        return generate(JetstreamMix.POSTS, count, seed);
    }

    /** An unfiltered stream ({@link JetstreamMix#FIREHOSE}). */
    public static JetstreamCorpus firehose(int count, long seed) {
        return generate(JetstreamMix.FIREHOSE, count, seed);
    }

    public long firstTimeUs() {
        return events.get(0).timeUs();
    }

    public long lastTimeUs() {
        return events.get(events.size() - 1).timeUs();
    }

    public static void main(String[] args) {
        List<String> positional = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        boolean zstd = List.of(args).contains("--zstd");
        if (positional.isEmpty()) {
            System.err.println("Usage: JetstreamCorpus OUT_FILE [EVENTS=200000] [MIX=posts|firehose] [SEED=42] [--zstd]");
            System.exit(2);
        }
        Path out = Path.of(positional.get(0));
        int count = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 200_000;
        JetstreamMix mix = positional.size() > 2 ? JetstreamMix.valueOf(positional.get(2).toUpperCase(java.util.Locale.ROOT))
                : JetstreamMix.POSTS;
        long seed = positional.size() > 3 ? Long.parseLong(positional.get(3)) : 42;
        long start = System.nanoTime();
        JetstreamCorpus corpus = generate(mix, count, seed);
        JetstreamEventFile.write(out, corpus.events(), zstd);
        long bytes = corpus.events().stream().mapToLong(e -> e.message(zstd).length).sum();
        System.out.printf("wrote %s: %d %s events (%s, time_us %d..%d), %d post creates, %d message bytes, in %.1f s%n",
                out, count, mix.name().toLowerCase(java.util.Locale.ROOT), zstd ? "zstd" : "json",
                corpus.firstTimeUs(), corpus.lastTimeUs(), corpus.posts().size(), bytes,
                (System.nanoTime() - start) / 1e9);
    }
}
