package dev.firehose.ingest.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import dev.firehose.ingest.delivery.CursorConflictException;
import dev.firehose.ingest.delivery.CursorStore;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

/**
 * The firehose cursor in a NATS key-value bucket: one key (the service name), the position as a decimal string —
 * the same key and format as the Python service this one replaces, so a switch-over resumes where it stopped.
 *
 * <p>Writes are compare-and-set on the key's revision: if anything else wrote the key since we last read or wrote
 * it (a second instance with the same SERVICE_NAME), the write fails with {@link CursorConflictException} instead of
 * two writers silently interleaving their cursors.
 *
 * <p>A deleted or purged key (its last entry is a marker, so {@code get} finds nothing) is written again over the
 * marker: before start it simply means "no cursor"; while running it is reported once as a conflict (someone deleted
 * it) and the write goes through, so the key never stays unwritable.
 *
 * <p>A write that failed without an answer (a timeout while NATS restarts or hangs) may still have been applied:
 * jnats re-sends it from its reconnect buffer, or the server processes it late. Such a write moves the revision
 * too, so when the next write is refused and the key holds a value we tried to write, it was ours, not another
 * writer's: the write is repeated on the newer revision instead of reporting a conflict.
 */
public final class KvCursorStore implements CursorStore {

    private static final int WRONG_LAST_SEQUENCE = 10071;

    private final KeyValue bucket;
    private final String key;
    private long revision;
    /** No live entry at our last look: the next write creates the key (over a delete marker if there is one). */
    private boolean create = true;
    /** Values written since the last confirmed write whose outcome is unknown (no answer). */
    private final Set<Long> unconfirmed = new HashSet<>();

    public KvCursorStore(Connection connection, String bucket, String key) throws IOException {
        this.bucket = connection.keyValue(bucket);
        this.key = key;
    }

    @Override
    public synchronized OptionalLong load() throws IOException, JetStreamApiException {
        KeyValueEntry entry = bucket.get(key);
        create = entry == null;
        revision = entry == null ? 0 : entry.getRevision();
        return entry == null ? OptionalLong.empty() : parse(entry);
    }

    @Override
    public synchronized void save(long position) throws IOException, JetStreamApiException, CursorConflictException {
        try {
            write(position);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                throw e;
            }
            KeyValueEntry current = bucket.get(key);
            if (current == null) {
                // Deleted or purged since our last write: write it again, and say so.
                create = true;
                write(position);
                throw new CursorConflictException(key, position, OptionalLong.empty(), true);
            }
            // Someone wrote the key since our last confirmed write. Take its revision so that our next write
            // (which reports again if the other writer goes on) does not fail for ever.
            create = false;
            revision = current.getRevision();
            OptionalLong found = parse(current);
            if (found.isPresent() && unconfirmed.contains(found.getAsLong())) {
                // That someone was us: a write that timed out and was applied after all.
                write(position);
                return;
            }
            unconfirmed.clear();
            throw new CursorConflictException(key, position, found, false);
        }
    }

    private void write(long position) throws IOException, JetStreamApiException {
        byte[] value = Long.toString(position).getBytes(StandardCharsets.US_ASCII);
        try {
            revision = create ? bucket.create(key, value) : bucket.update(key, value, revision);
            create = false;
            unconfirmed.clear();
        } catch (IOException | RuntimeException e) {
            unconfirmed.add(position);
            throw e;
        }
    }

    @Override
    public synchronized void reset(long position) throws IOException, JetStreamApiException {
        if (position < 0) {
            bucket.delete(key);
            create = true;
        } else {
            revision = bucket.put(key, Long.toString(position).getBytes(StandardCharsets.US_ASCII));
            create = false;
        }
        unconfirmed.clear();
    }

    @Override
    public Optional<String> appliedStartCursor() throws IOException, JetStreamApiException {
        KeyValueEntry entry = bucket.get(startCursorKey());
        return entry == null || entry.getValue() == null ? Optional.empty()
                : Optional.of(new String(entry.getValue(), StandardCharsets.UTF_8));
    }

    @Override
    public void recordStartCursor(String value) throws IOException, JetStreamApiException {
        bucket.put(startCursorKey(), value.getBytes(StandardCharsets.UTF_8));
    }

    /** Beside the cursor: the FIREHOSE_START_CURSOR value applied last. */
    private String startCursorKey() {
        return key + ".start-cursor";
    }

    @Override
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
            throw new IllegalStateException("cursor under key '" + key + "' is not a decimal position: '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
    }
}
