package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.Fixtures;
import dev.firehose.ingest.testsupport.FrameBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/** The real firehose fixtures as binary frames, encoded from their AT-JSON form by {@link FrameBuilder}. Public for the JMH benchmark. */
public final class FirehoseFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One frame: where it came from, its AT-JSON header and body, and its binary form. */
    public record Frame(String name, JsonNode header, JsonNode body, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }

        String type() {
            return header.path("t").asText(null);
        }

        byte[] car() {
            return Base64.getDecoder().decode(body.path("blocks").path("$bytes").asText());
        }
    }

    private FirehoseFixtures() {
    }

    public static List<Frame> all() {
        List<Frame> frames = new ArrayList<>();
        try (Stream<Path> files = Files.list(Fixtures.firehose("")).sorted()) {
            for (Path file : (Iterable<Path>) files::iterator) {
                frames.addAll(load(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frames;
    }

    public static Frame byName(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture frame " + name));
    }

    static List<Frame> load(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            String base = file.getFileName().toString().replace(".json", "");
            List<Frame> frames = new ArrayList<>();
            if (root.has("messages")) {
                int i = 0;
                for (JsonNode message : root.get("messages")) {
                    JsonNode frame = message.get("frame");
                    frames.add(frame(base + "#" + i++, frame.get("header"), frame.get("body")));
                }
            } else {
                ObjectNode header = JSON.createObjectNode().put("op", 1).put("t", "#commit");
                frames.add(frame(base, header, root));
            }
            return frames;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Frame frame(String name, JsonNode header, JsonNode body) {
        return new Frame(name, header, body, FrameBuilder.frame(header, body));
    }
}
