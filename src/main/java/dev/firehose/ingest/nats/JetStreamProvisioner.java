package dev.firehose.ingest.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates what the service writes to, when missing: the posts stream and the cursor bucket. The camel-nats
 * producer never creates streams, and without JetStream it would silently fall back to core NATS, so this runs
 * before any route starts and fails fast with a clear message. With deletes published, the stream also takes the
 * delete subject: at creation, or added to an existing stream that lacks it (the one change made to an existing
 * stream, logged).
 */
public final class JetStreamProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(JetStreamProvisioner.class);
    private static final int STREAM_NOT_FOUND = 10059;

    /**
     * What the posts stream should look like.
     *
     * @param deleteSubject where post deletes go (a subject outside {@code subjectPrefix.>}), or null when deletes
     *                      are not published
     */
    public record StreamSpec(String name, String subjectPrefix, Duration maxAge, long maxBytes, int replicas,
                             Duration duplicateWindow, String deleteSubject) {
        String subjects() {
            return subjectPrefix + ".>";
        }

        List<String> allSubjects() {
            return deleteSubject == null ? List.of(subjects()) : List.of(subjects(), deleteSubject);
        }
    }

    private final Connection connection;

    public JetStreamProvisioner(Connection connection) {
        this.connection = connection;
    }

    public void requireJetStream() {
        if (!connection.getServerInfo().isJetStreamAvailable()) {
            throw new IllegalStateException("NATS server " + connection.getServerInfo().getServerName()
                    + " has no JetStream: start it with JetStream enabled (nats-server -js); "
                    + "posts must not be published to core NATS where nothing keeps them");
        }
    }

    public void ensureStream(StreamSpec spec) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = connection.jetStreamManagement();
        StreamInfo existing = existingStream(jsm, spec.name());
        if (existing != null) {
            List<String> subjects = existing.getConfiguration().getSubjects();
            if (!subjects.contains(spec.subjects())) {
                throw new IllegalStateException("stream " + spec.name() + " exists with subjects " + subjects
                        + " which do not include " + spec.subjects() + ": fix NATS_SUBJECT or the stream");
            }
            if (spec.deleteSubject() != null && !subjects.contains(spec.deleteSubject())) {
                addSubject(jsm, existing.getConfiguration(), spec.deleteSubject());
            }
            LOG.info("Using stream {} ({} messages)", spec.name(), existing.getStreamState().getMsgCount());
            return;
        }
        StreamConfiguration config = StreamConfiguration.builder()
                .name(spec.name())
                .subjects(spec.allSubjects())
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits)
                .maxAge(spec.maxAge())
                .maxBytes(spec.maxBytes())
                .replicas(spec.replicas())
                .duplicateWindow(spec.duplicateWindow())
                .build();
        jsm.addStream(config);
        LOG.info("Created stream {} on {} (duplicate window {})", spec.name(), spec.allSubjects(),
                spec.duplicateWindow());
    }

    /** PUBLISH_DELETES on a stream made before: its subjects get the delete subject, everything else stays. */
    private static void addSubject(JetStreamManagement jsm, StreamConfiguration current, String subject)
            throws IOException, JetStreamApiException {
        List<String> subjects = new ArrayList<>(current.getSubjects());
        subjects.add(subject);
        jsm.updateStream(StreamConfiguration.builder(current).subjects(subjects).build());
        LOG.warn("Added subject {} to stream {} for the post deletes (PUBLISH_DELETES): it now takes {}", subject,
                current.getName(), subjects);
    }

    public void ensureBucket(String bucket, int replicas) throws IOException, JetStreamApiException {
        KeyValueManagement kvm = connection.keyValueManagement();
        if (kvm.getBucketNames().contains(bucket)) {
            return;
        }
        kvm.create(KeyValueConfiguration.builder()
                .name(bucket)
                .storageType(StorageType.File)
                .maxHistoryPerKey(1)
                .replicas(replicas)
                .build());
        LOG.info("Created key-value bucket {}", bucket);
    }

    private static StreamInfo existingStream(JetStreamManagement jsm, String name)
            throws IOException, JetStreamApiException {
        try {
            return jsm.getStreamInfo(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
