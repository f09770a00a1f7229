package dev.firehose.ingest.atproto;

import java.util.ArrayList;
import java.util.List;

/** What the decoder keeps of a {@code #commit} body: identity fields, post creates and deletes, where the CAR is. */
final class CommitBody {

    /** A {@code create} op of an {@code app.bsky.feed.post} record; its CID is left in the frame until needed. */
    record PostCreate(String rkey, int cidOffset) {
    }

    long seq = -1;
    String repo;
    String time;
    boolean opsRead;
    /** Offset of the CAR bytes in the frame, or -1 if not kept (absent, or not needed). */
    int blocksOffset = -1;
    int blocksLength;
    List<PostCreate> postCreates = List.of();
    /** Record keys of the {@code delete} ops of posts (no CID, no block: nothing else is needed). */
    List<String> postDeletes = List.of();

    void addPostCreate(String rkey, int cidOffset) {
        if (postCreates.isEmpty()) {
            postCreates = new ArrayList<>(2);
        }
        postCreates.add(new PostCreate(rkey, cidOffset));
    }

    void addPostDelete(String rkey) {
        if (postDeletes.isEmpty()) {
            postDeletes = new ArrayList<>(1);
        }
        postDeletes.add(rkey);
    }

    boolean hasPostCreates() {
        return !postCreates.isEmpty();
    }
}
