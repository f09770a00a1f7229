package dev.firehose.ingest.nats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.firehose.ingest.atproto.Post;
import io.nats.client.impl.Headers;

/**
 * A post as a NATS message: the JSON payload (the {@link Post} record's fields, a superset of the original service's
 * {@code {uri, cid, author, text, created_at}}), the subject {@code <prefix>.<language>}, and
 * {@code Nats-Msg-Id = <post uri>}, so the stream stores a post published again (after a restart) once.
 */
public final class PostMessages {

    public static final String MSG_ID = "Nats-Msg-Id";

    private final ObjectWriter json;

    public PostMessages(ObjectMapper mapper) {
        this.json = mapper.writerFor(Post.class);
    }

    /** The subject of {@code post} under {@code prefix}: one token per language, {@code und} when none. */
    public static String subject(String prefix, Post post) {
        return prefix + "." + post.subjectLanguage();
    }

    public static Headers headers(Post post) {
        return new Headers().put(MSG_ID, post.uri());
    }

    public byte[] payload(Post post) {
        try {
            return json.writeValueAsBytes(post);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("post " + post.uri() + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }
}
