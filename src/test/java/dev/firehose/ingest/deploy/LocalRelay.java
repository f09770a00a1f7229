package dev.firehose.ingest.deploy;

import java.util.concurrent.TimeUnit;

import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.TestRelay;

/**
 * A relay on 127.0.0.1 serving a synthetic corpus, for running the container image by hand (docs/container.md):
 * {@code java -cp "target/test-classes:$(cat target/test-classpath.txt)" dev.firehose.ingest.deploy.LocalRelay
 * [FRAMES=2000] [SECONDS=600]}. Prints its URL and the last seq, then serves until SECONDS have passed.
 */
public final class LocalRelay {

    private LocalRelay() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 600;
        Corpus corpus = FrameCorpus.synthetic(frames, 1, 1);
        try (TestRelay relay = TestRelay.start(corpus.frames())) {
            System.out.printf("relay %s port %d: %d frames, last seq %d, serving for %d s%n", relay.url(),
                    relay.port(), frames, corpus.lastSeq(), seconds);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                Thread.sleep(1000);
            }
            System.out.printf("frames sent %d over %d connection(s); cursors asked %s%n", relay.framesSent(),
                    relay.connectionCount(), relay.requestedCursors());
        }
        System.exit(0);
    }
}
