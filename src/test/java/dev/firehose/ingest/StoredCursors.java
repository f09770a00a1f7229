package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;

import io.nats.client.Connection;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;

/** Writes a cursor into the KV bucket before the service starts, as a previous run (or the Python service) left it. */
final class StoredCursors {

    private StoredCursors() {
    }

    /** Creates the bucket as the service would (file storage, history 1) and stores {@code seq} as a decimal string. */
    static void store(Connection client, String bucket, String key, long seq) throws Exception {
        KeyValueManagement kvm = client.keyValueManagement();
        if (!kvm.getBucketNames().contains(bucket)) {
            kvm.create(KeyValueConfiguration.builder()
                    .name(bucket)
                    .storageType(StorageType.File)
                    .maxHistoryPerKey(1)
                    .build());
        }
        client.keyValue(bucket).put(key, Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
    }
}
