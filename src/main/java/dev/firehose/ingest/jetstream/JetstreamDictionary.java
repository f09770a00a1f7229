package dev.firehose.ingest.jetstream;

import com.github.luben.zstd.ZstdDictDecompress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A zstd dictionary for {@code compress=true} messages, digested once for decompression. Thread-safe and meant to be
 * shared: zstd only reads a digested dictionary, so every decoder of the JVM can use the same one.
 * <p>
 * {@link #bundled()} is Jetstream's own v1 dictionary (ID {@value #BUNDLED_ID}), shipped in this jar as
 * {@value #RESOURCE} (origin and license in {@code jetstream/SOURCES.md} beside it).
 */
public final class JetstreamDictionary {

    public static final String RESOURCE = "/jetstream/zstd_dictionary";
    /** The dictionary ID in the bundled dictionary's header; Jetstream's compressed frames name it. */
    public static final long BUNDLED_ID = 1_612_007_021L;

    private static final int MAGIC = 0xEC30A437;

    private final long id;
    private final ZstdDictDecompress decompress;

    private JetstreamDictionary(byte[] bytes) {
        this.id = idOf(bytes);
        this.decompress = new ZstdDictDecompress(bytes);
    }

    /** A zstd dictionary in zstd's format (magic {@code 37 A4 30 EC}, then its ID). */
    public static JetstreamDictionary of(byte[] bytes) {
        return new JetstreamDictionary(bytes.clone());
    }

    /** Jetstream's v1 dictionary, loaded and digested on first use. */
    public static JetstreamDictionary bundled() {
        return Bundled.INSTANCE;
    }

    /** The bundled dictionary's bytes, e.g. for a test compressor. */
    public static byte[] bundledBytes() {
        try (InputStream in = JetstreamDictionary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dictionary ID from its header. */
    public long id() {
        return id;
    }

    ZstdDictDecompress forDecompression() {
        return decompress;
    }

    private static long idOf(byte[] bytes) {
        if (bytes.length < 8 || littleEndianInt(bytes, 0) != MAGIC) {
            throw new IllegalArgumentException("not a zstd dictionary (no magic number)");
        }
        return Integer.toUnsignedLong(littleEndianInt(bytes, 4));
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    /** Lazy holder: the JVM loads the resource once, thread-safely, the first time it is asked for. */
    private static final class Bundled {
        static final JetstreamDictionary INSTANCE = bundledChecked();

        private static JetstreamDictionary bundledChecked() {
            JetstreamDictionary dictionary = new JetstreamDictionary(bundledBytes());
            if (dictionary.id != BUNDLED_ID) {
                throw new IllegalStateException(RESOURCE + " has dictionary ID " + dictionary.id + ", not " + BUNDLED_ID);
            }
            return dictionary;
        }
    }
}
