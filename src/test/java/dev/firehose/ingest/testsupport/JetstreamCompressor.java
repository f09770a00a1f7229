package dev.firehose.ingest.testsupport;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import dev.firehose.ingest.jetstream.JetstreamDictionary;

/**
 * Compresses events as Jetstream does for {@code compress=true}: each message one zstd frame, made with Jetstream's
 * v1 dictionary (the one bundled in the main resources), content size and checksum in the frame, level 3 (the
 * default level of Jetstream's Go encoder). Thread-safe (one context, used one call at a time).
 */
public final class JetstreamCompressor {

    private static final int LEVEL = 3;
    private static final JetstreamCompressor BUNDLED = new JetstreamCompressor(JetstreamDictionary.bundledBytes(), true);

    private final ZstdCompressCtx context = new ZstdCompressCtx();

    private JetstreamCompressor(byte[] dictionary, boolean contentSize) {
        context.setLevel(LEVEL);
        context.setChecksum(true);
        context.setContentSize(contentSize);
        context.loadDict(new ZstdDictCompress(dictionary, LEVEL));
    }

    /** With the bundled dictionary, as Jetstream sends it. */
    public static JetstreamCompressor jetstream() {
        return BUNDLED;
    }

    /** With another dictionary (a test of the wrong one), or without a content size in the frame header. */
    public static JetstreamCompressor with(byte[] dictionary, boolean contentSize) {
        return new JetstreamCompressor(dictionary, contentSize);
    }

    public synchronized byte[] compress(byte[] json) {
        return context.compress(json);
    }
}
