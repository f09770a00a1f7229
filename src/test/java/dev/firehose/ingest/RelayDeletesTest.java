package dev.firehose.ingest;

import java.util.Properties;

import dev.firehose.ingest.testsupport.ExpectedDelete;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, {@code PUBLISH_DELETES=true} on the relay source: every post delete of the replay lands once on
 * {@code NATS_DELETE_SUBJECT} in the posts stream (created with both subjects), as
 * {@code {uri, author, seq, time, deleted_at}} with {@code Nats-Msg-Id = delete:<uri>}; the posts land exactly as
 * without deletes, a consumer of {@code <NATS_SUBJECT>.>} receives no delete, and the cursor, which the deletes hold
 * like posts (rule D1), reaches the last frame.
 */
class RelayDeletesTest extends ServiceEndToEndSupport {

    private Subscription posts;

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        posts = subscribeToPosts();
    }

    @Override
    protected Properties serviceProperties() {
        return publishingDeletes(super.serviceProperties());
    }

    @Test
    void postDeletesLandOnTheirOwnSubjectAndPostConsumersSeeNone() throws Exception {
        awaitStoredCursor(corpus.lastSeq());

        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertDeletesExactly(ExpectedDelete.fromFrames(corpus.frames()));
        assertOnlyPostsReceived(posts);
    }
}
