package dev.firehose.ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firehose.ingest.atproto.Post;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Prepares one post for the NATS producer: the JSON payload, {@code Nats-Msg-Id} = the post URI (the stream
 * drops a re-publish after a restart), and the subject language. Every Camel header would become a NATS header,
 * so the message leaves here with that one header only.
 */
public final class PostMessageProcessor implements Processor {

    /** Exchange property: the language token of the subject ({@code en}, {@code ja}, {@code und}). */
    public static final String SUBJECT_LANGUAGE = "subjectLanguage";
    /** Exchange property: the seq of the frame the post came from. */
    public static final String POST_SEQ = "postSeq";
    public static final String MSG_ID = "Nats-Msg-Id";
    /** Exchange property: System.nanoTime() when the post entered the publish step. */
    public static final String PUBLISH_START = "publishStart";

    private final ObjectMapper json;

    public PostMessageProcessor(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Post post = message.getBody(Post.class);
        exchange.setProperty(SUBJECT_LANGUAGE, post.subjectLanguage());
        exchange.setProperty(POST_SEQ, post.seq());
        exchange.setProperty(PUBLISH_START, System.nanoTime());
        message.getHeaders().clear();
        message.setHeader(MSG_ID, post.uri());
        message.setBody(json.writeValueAsBytes(post));
    }
}
