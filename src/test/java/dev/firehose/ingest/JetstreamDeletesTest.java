package dev.firehose.ingest;

import java.time.Duration;
import java.util.Properties;

import dev.firehose.ingest.testsupport.ExpectedDelete;
import io.nats.client.Subscription;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, {@code PUBLISH_DELETES=true} on the Jetstream source (compressed), against a stream an earlier run made
 * without the delete subject: the service adds the subject to it, every post delete lands once on
 * {@code NATS_DELETE_SUBJECT} as {@code {uri, author, seq: null, time, deleted_at}} with
 * {@code Nats-Msg-Id = delete:<uri>}, the posts land exactly as without deletes, a consumer of
 * {@code <NATS_SUBJECT>.>} receives no delete, and the cursor reaches the last {@code time_us}.
 */
class JetstreamDeletesTest extends JetstreamEndToEndSupport {

    private Subscription posts;

    @Override
    protected boolean compressed() {
        return true;
    }

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        // as a deployment that ran before PUBLISH_DELETES left it
        client.jetStreamManagement().addStream(StreamConfiguration.builder().name(STREAM).subjects(SUBJECT + ".>")
                .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(10)).build());
        posts = subscribeToPosts();
    }

    @Override
    protected Properties serviceProperties() {
        return publishingDeletes(super.serviceProperties());
    }

    @Test
    void postDeletesLandOnTheirOwnSubjectAddedToTheExistingStream() throws Exception {
        awaitStoredCursor(corpus.lastTimeUs());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertDeletesExactly(ExpectedDelete.fromEvents(corpus.events()));
        assertOnlyPostsReceived(posts);
    }
}
