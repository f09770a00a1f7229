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
 *
 * <p>Writes are compare-and-set on the key's revision: if anything else wrote the key since we last read or
 * wrote it (a second instance with the same SERVICE_NAME), the write fails with {@link CursorConflictException}
 * instead of two writers silently interleaving their cursors.
 */
public final class KvCursorStore {

    private static final int WRONG_LAST_SEQUENCE = 10071;

    private final KeyValue bucket;
    private final String key;
    private long revision;

    public KvCursorStore(Connection connection, String bucket, String key) throws IOException {
        this.bucket = connection.keyValue(bucket);
        this.key = key;
    }

    public synchronized OptionalLong load() throws IOException, JetStreamApiException {
        KeyValueEntry entry = bucket.get(key);
        revision = entry == null ? 0 : entry.getRevision();
        return entry == null ? OptionalLong.empty() : parse(entry);
    }

    public synchronized void save(long seq) throws IOException, JetStreamApiException {
        try {
            revision = bucket.update(key, Long.toString(seq).getBytes(StandardCharsets.US_ASCII), revision);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                throw e;
            }
            // Someone else wrote the key. Take its revision so that our next write (which reports again if the
            // other writer goes on) does not fail for ever, and tell the caller what was there.
            KeyValueEntry current = bucket.get(key);
            revision = current == null ? 0 : current.getRevision();
            throw new CursorConflictException(key, seq, current == null ? OptionalLong.empty() : parse(current));
        }
    }

    public String key() {
        return key;
    }

    private OptionalLong parse(KeyValueEntry entry) {
        if (entry.getValue() == null || entry.getValue().length == 0) {
            return OptionalLong.empty();
        }
        String text = new String(entry.getValue(), StandardCharsets.UTF_8).trim();
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("cursor under key '" + key + "' is not a decimal seq: '" + text + "'");
        }
    }
}
