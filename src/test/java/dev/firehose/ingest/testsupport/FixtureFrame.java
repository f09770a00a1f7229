package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Base64;

/**
 * One frame of a real firehose fixture file: its name ({@code relay-testing-post_lifecycle#2} = message 2 of that
 * file; a bare {@code firehose_commit_*} body is named after its file), its AT-JSON header and body, and its binary
 * form (encoded by {@link FrameBuilder}). Loaded by {@link FrameCorpus#fixtureFrames}.
 */
public record FixtureFrame(String name, JsonNode header, JsonNode body, byte[] bytes) {

    /** The header's {@code t}, e.g. {@code #commit}; null if absent. */
    public String type() {
        return header.path("t").asText(null);
    }

    /** The body's {@code blocks} CAR, decoded from its {@code $bytes}. */
    public byte[] car() {
        return Base64.getDecoder().decode(body.path("blocks").path("$bytes").asText());
    }

    public RelayFrame relayFrame() {
        return new RelayFrame(body.path("seq").asLong(), bytes);
    }

    @Override
    public String toString() {
        return name;
    }
}
