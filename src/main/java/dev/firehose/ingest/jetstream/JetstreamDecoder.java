package dev.firehose.ingest.jetstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.BAD_EVENT;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.NOT_JSON;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.TOO_DEEP;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.TOO_LARGE;

/**
 * Decodes Jetstream websocket messages: a JSON event, sent as a text message, or with {@code compress=true} a binary
 * message holding one zstd frame made with Jetstream's dictionary. One streaming Jackson parser reads the event; only
 * the record (and an identity or account object) becomes a tree.
 * <p>
 * Thread-safe. Plain messages decode in parallel; compressed ones go through this decoder's one zstd context and
 * inflate buffer, one at a time, so a consumer that inflates on several threads at once should give each its own
 * decoder (cheap: the dictionary is shared). {@link #close()} frees the zstd context.
 */
public final class JetstreamDecoder implements AutoCloseable {

    private final JetstreamLimits limits;
    private final JetstreamDictionary dictionary;
    private final Predicate<String> recordsOf;
    private final JsonFactory json;
    private final ObjectReader trees;
    private BoundedInflater inflater; // guarded by this; made on the first compressed message
    private boolean closed; // guarded by this

    private JetstreamDecoder(Builder builder) {
        this.limits = builder.limits;
        this.dictionary = builder.dictionary != null ? builder.dictionary : JetstreamDictionary.bundled();
        this.recordsOf = builder.recordsOf;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxDocumentLength(limits.maxMessageBytes())
                        .maxStringLength(limits.maxMessageBytes())
                        .build())
                // field names come from the network: canonicalize them, but keep them out of the JVM's intern pool
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
        // DAG-CBOR, which records are stored in, has no duplicate keys: a record with one was not made from a record
        this.trees = new ObjectMapper(json).reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /** Default limits, the bundled dictionary, records of every collection. */
    public JetstreamDecoder() {
        this(builder());
    }

    public static Builder builder() {
        return new Builder();
    }

    public JetstreamLimits limits() {
        return limits;
    }

    /**
     * Decodes one websocket message.
     *
     * @param message    the message's bytes: UTF-8 JSON, or one zstd frame when {@code compressed}
     * @param compressed true for a {@code compress=true} connection's (binary) messages
     * @throws MalformedEventException for anything wrong with the message; no other exception escapes
     */
    public JetstreamEvent decode(byte[] message, boolean compressed) throws MalformedEventException {
        if (message == null) {
            throw new MalformedEventException(NOT_JSON, "no message", -1);
        }
        if (message.length > limits.maxMessageBytes()) {
            throw new MalformedEventException(TOO_LARGE,
                    message.length + " bytes, more than " + limits.maxMessageBytes(), -1);
        }
        if (!compressed) {
            return parse(message, message.length);
        }
        synchronized (this) {
            BoundedInflater in = inflater();
            int length = in.inflate(message);
            return parse(in.buffer(), length); // before the next message overwrites the buffer
        }
    }

    private JetstreamEvent parse(byte[] bytes, int length) throws MalformedEventException {
        EventReader reader = null;
        try (JsonParser parser = json.createParser(bytes, 0, length)) {
            reader = new EventReader(parser, trees, recordsOf);
            return reader.read();
        } catch (MalformedEventException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw constraint(e, reader);
        } catch (DatabindException e) {
            if (e.getCause() instanceof StreamConstraintsException limit) {
                throw constraint(limit, reader);
            }
            // the tree reader's only own complaint: a duplicate key in a record, identity or account object
            throw new MalformedEventException(BAD_EVENT, e.getOriginalMessage(), timeUsOf(reader), e);
        } catch (JsonProcessingException e) {
            // Jackson's parse errors: truncation, garbage, bad UTF-8, bad escapes or numbers
            String where = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
            throw new MalformedEventException(NOT_JSON, e.getOriginalMessage() + where, timeUsOf(reader), e);
        } catch (IOException | RuntimeException e) {
            // anything unforeseen: the message is at fault
            throw new MalformedEventException(NOT_JSON, String.valueOf(e.getMessage()), timeUsOf(reader), e);
        }
    }

    private static MalformedEventException constraint(StreamConstraintsException e, EventReader reader) {
        boolean depth = String.valueOf(e.getMessage()).contains("nesting depth");
        return new MalformedEventException(depth ? TOO_DEEP : TOO_LARGE, e.getOriginalMessage(), timeUsOf(reader), e);
    }

    private static long timeUsOf(EventReader reader) {
        return reader == null ? -1 : reader.timeUs;
    }

    private BoundedInflater inflater() {
        if (closed) {
            throw new IllegalStateException("decoder closed");
        }
        if (inflater == null) {
            inflater = new BoundedInflater(dictionary, limits.maxMessageBytes());
        }
        return inflater;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (inflater != null) {
            inflater.close();
            inflater = null;
        }
    }

    public static final class Builder {
        private JetstreamLimits limits = JetstreamLimits.defaults();
        private JetstreamDictionary dictionary; // null: the bundled one
        private Predicate<String> recordsOf = collection -> true;

        private Builder() {
        }

        public Builder limits(JetstreamLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The dictionary of compressed messages; default {@link JetstreamDictionary#bundled()}. */
        public Builder dictionary(JetstreamDictionary dictionary) {
            this.dictionary = Objects.requireNonNull(dictionary, "dictionary");
            return this;
        }

        /**
         * Build record trees only for commits in these collections (e.g. {@code app.bsky.feed.post}); other commits
         * decode with a null record, their record read as tokens and dropped. Default: every collection.
         */
        public Builder recordsOf(Collection<String> collections) {
            Set<String> wanted = Set.copyOf(collections);
            this.recordsOf = wanted::contains;
            return this;
        }

        public JetstreamDecoder build() {
            return new JetstreamDecoder(this);
        }
    }
}
