package dev.firehose.ingest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Events a generated corpus does not hold: a real one moved to another {@code time_us}, and bad input. */
public final class JetstreamWireEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JetstreamWireEvents() {
    }

    /** {@code event} as Jetstream would send it at {@code timeUs} (same fields, same order). */
    public static JetstreamWireEvent at(JetstreamWireEvent event, long timeUs) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(event.json());
            tree.put("time_us", timeUs); // keeps the field's place
            byte[] json = GoJson.bytes(tree);
            return new JetstreamWireEvent(timeUs, event.did(), event.kind(), event.operation(), event.collection(),
                    event.rkey(), json, JetstreamCompressor.jetstream().compress(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A message with any text, served as a post commit at {@code timeUs} (so a {@code wantedCollections} filter lets it
     * through): the text as a text message, its zstd frame with {@code compress=true}.
     */
    public static JetstreamWireEvent message(long timeUs, String text) {
        byte[] json = text.getBytes(StandardCharsets.UTF_8);
        return new JetstreamWireEvent(timeUs, "did:plc:bad", "commit", "create", RepoRecords.POST, "bad", json,
                JetstreamCompressor.jetstream().compress(json));
    }

    /** As {@link #message}, but its compressed form is {@code zstd} as given (not a zstd frame, say). */
    public static JetstreamWireEvent message(long timeUs, String text, byte[] zstd) {
        JetstreamWireEvent event = message(timeUs, text);
        return new JetstreamWireEvent(timeUs, event.did(), event.kind(), event.operation(), event.collection(),
                event.rkey(), event.json(), zstd);
    }
}
