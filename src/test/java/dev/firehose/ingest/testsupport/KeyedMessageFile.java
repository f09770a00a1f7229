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
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The layout {@link FrameFile} and {@link JetstreamEventFile} share (integers big-endian): a header (an 8-byte magic,
 * then the file kind's own bytes), then until end of file records of {@code key int64, length int32, message bytes}.
 */
final class KeyedMessageFile {

    /** Makes an item from a record. */
    interface Reader<T> {
        T item(long key, byte[] message);
    }

    /** What a file held after its magic: the kind's own header bytes and the items. */
    record Contents<T>(byte[] header, List<T> items) {
    }

    private KeyedMessageFile() {
    }

    static <T> void write(Path path, byte[] header, List<T> items, ToLongFunction<T> key, Function<T, byte[]> message) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))) {
            out.write(header);
            for (T item : items) {
                byte[] bytes = message.apply(item);
                out.writeLong(key.applyAsLong(item));
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file that starts with {@code magic} and {@code headerBytes} more bytes of header. */
    static <T> Contents<T> read(Path path, byte[] magic, int headerBytes, String kind, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16))) {
            byte[] start = new byte[magic.length];
            in.readFully(start);
            if (!Arrays.equals(start, magic)) {
                throw new IOException("not a " + kind + " (bad magic): " + path);
            }
            byte[] header = new byte[headerBytes];
            in.readFully(header);
            List<T> items = new ArrayList<>();
            while (true) {
                long key;
                try {
                    key = in.readLong();
                } catch (EOFException end) {
                    return new Contents<>(header, items);
                }
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                items.add(reader.item(key, bytes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
