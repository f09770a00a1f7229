package dev.firehose.ingest.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

/**
 * The firehose cursor in a NATS key-value bucket: one key (the service name), the seq as a decimal string —
 * the same key and format as the Python service this one replaces, so a switch-over resumes where it stopped.
 */
public final class KvCursorStore {

    private final KeyValue bucket;
    private final String key;

    public KvCursorStore(Connection connection, String bucket, String key) throws IOException {
        this.bucket = connection.keyValue(bucket);
        this.key = key;
    }

    public OptionalLong load() throws IOException, JetStreamApiException {
        KeyValueEntry entry = bucket.get(key);
        if (entry == null || entry.getValue() == null || entry.getValue().length == 0) {
            return OptionalLong.empty();
        }
        String text = new String(entry.getValue(), StandardCharsets.UTF_8).trim();
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("cursor under key '" + key + "' is not a decimal seq: '" + text + "'");
        }
    }

    public void save(long seq) throws IOException, JetStreamApiException {
        bucket.put(key, Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
    }

    public String key() {
        return key;
    }
}
