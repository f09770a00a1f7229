package dev.firehose.ingest.testsupport;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Jetstream events file for replays and benchmarks ({@link JetstreamCorpus#main} writes one). Format (integers
 * big-endian):
 * <pre>
 *   magic     8 bytes  "FHJETST1"
 *   encoding  1 byte   0: JSON (text websocket messages), 1: zstd frames with Jetstream's dictionary (compress=true)
 *   repeated until end of file:
 *     time_us  int64   the event's cursor
 *     length   int32   bytes in the message
 *     message  length bytes, exactly as sent on the websocket
 * </pre>
 */
public final class JetstreamEventFile {

    static final byte[] MAGIC = {'F', 'H', 'J', 'E', 'T', 'S', 'T', '1'};

    /** One message of the file and its event's {@code time_us}. */
    public record Entry(long timeUs, byte[] message) {
    }

    /** What a file holds: its messages, and whether they are zstd frames. */
    public record Contents(boolean zstd, List<Entry> entries) {
    }

    private JetstreamEventFile() {
    }

    public static void write(Path path, List<JetstreamWireEvent> events, boolean zstd) {
        byte[] header = Arrays.copyOf(MAGIC, MAGIC.length + 1);
        header[MAGIC.length] = (byte) (zstd ? 1 : 0);
        KeyedMessageFile.write(path, header, events, JetstreamWireEvent::timeUs, event -> event.message(zstd));
    }

    public static Contents read(Path path) {
        KeyedMessageFile.Contents<Entry> contents =
                KeyedMessageFile.read(path, MAGIC, 1, "Jetstream events file", Entry::new);
        int encoding = contents.header()[0];
        if (encoding != 0 && encoding != 1) {
            throw new IllegalArgumentException("unknown encoding " + encoding + " in " + path);
        }
        return new Contents(encoding == 1, contents.items());
    }
}
