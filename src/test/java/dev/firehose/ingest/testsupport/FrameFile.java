package dev.firehose.ingest.testsupport;

import java.nio.file.Path;
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
        KeyedMessageFile.write(path, MAGIC, frames, RelayFrame::seq, RelayFrame::bytes);
    }

    public static List<RelayFrame> read(Path path) {
        return KeyedMessageFile.read(path, MAGIC, 0, "frame file", RelayFrame::new).items();
    }
}
