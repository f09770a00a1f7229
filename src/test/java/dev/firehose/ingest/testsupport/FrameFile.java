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
import java.util.List;

/**
 * Frame file for replays and the benchmark. Format (all integers big-endian):
 * <pre>
 *   magic   8 bytes  "FHFRAME1"
 *   repeated until end of file:
 *     seq     int64
 *     length  int32    (bytes in the frame)
 *     frame   length bytes: DAG-CBOR header ‖ DAG-CBOR body, exactly as sent on the websocket
 * </pre>
 */
public final class FrameFile {

    static final byte[] MAGIC = {'F', 'H', 'F', 'R', 'A', 'M', 'E', '1'};

    private FrameFile() {
    }

    public static void write(Path path, List<RelayFrame> frames) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))) {
            out.write(MAGIC);
            for (RelayFrame frame : frames) {
                out.writeLong(frame.seq());
                out.writeInt(frame.bytes().length);
                out.write(frame.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<RelayFrame> read(Path path) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a frame file (bad magic): " + path);
            }
            List<RelayFrame> frames = new ArrayList<>();
            while (true) {
                long seq;
                try {
                    seq = in.readLong();
                } catch (EOFException end) {
                    return frames;
                }
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                frames.add(new RelayFrame(seq, bytes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
