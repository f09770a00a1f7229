package dev.firehose.ingest.testsupport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))) {
            out.write(MAGIC);
            out.writeByte(zstd ? 1 : 0);
            for (JetstreamWireEvent event : events) {
                byte[] message = event.message(zstd);
                out.writeLong(event.timeUs());
                out.writeInt(message.length);
                out.write(message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Contents read(Path path) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a Jetstream events file (bad magic): " + path);
            }
            int encoding = in.readUnsignedByte();
            if (encoding > 1) {
                throw new IOException("unknown encoding " + encoding + " in " + path);
            }
            List<Entry> entries = new ArrayList<>();
            while (true) {
                long timeUs;
                try {
                    timeUs = in.readLong();
                } catch (EOFException end) {
                    return new Contents(encoding == 1, entries);
                }
                byte[] message = new byte[in.readInt()];
                in.readFully(message);
                entries.add(new Entry(timeUs, message));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
