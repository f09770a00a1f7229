package dev.firehose.ingest.atproto;

import java.util.List;

/**
 * What one firehose frame said. Commit frames carry the posts they created; other kinds carry their identifying
 * fields only. For error frames ({@code op == -1}) {@link #type()} is null and {@link #seq()} is -1.
 */
public final class FirehoseEvent {

    public static final String COMMIT = "#commit";
    public static final String IDENTITY = "#identity";
    public static final String ACCOUNT = "#account";
    public static final String SYNC = "#sync";
    public static final String INFO = "#info";

    private final int op;
    private final String type;
    private final long seq;
    private final String time;
    private final String repo;
    private final List<Post> posts;
    private final List<RecordProblem> recordProblems;
    private final List<FieldProblem> fieldProblems;
    private final List<PostDelete> postDeletes;
    private final String errorName;
    private final String errorMessage;
    private final String infoName;
    private final String infoMessage;

    private FirehoseEvent(int op, String type, long seq, String time, String repo, List<Post> posts,
                          List<RecordProblem> recordProblems, List<FieldProblem> fieldProblems,
                          List<PostDelete> postDeletes, String errorName, String errorMessage, String infoName,
                          String infoMessage) {
        this.op = op;
        this.type = type;
        this.seq = seq;
        this.time = time;
        this.repo = repo;
        this.posts = posts;
        this.recordProblems = recordProblems;
        this.fieldProblems = fieldProblems;
        this.postDeletes = postDeletes;
        this.errorName = errorName;
        this.errorMessage = errorMessage;
        this.infoName = infoName;
        this.infoMessage = infoMessage;
    }

    static FirehoseEvent commit(long seq, String repo, String time, List<Post> posts, List<RecordProblem> problems,
                                List<FieldProblem> fieldProblems, List<PostDelete> postDeletes) {
        return new FirehoseEvent(1, COMMIT, seq, time, repo, List.copyOf(posts), List.copyOf(problems),
                List.copyOf(fieldProblems), List.copyOf(postDeletes), null, null, null, null);
    }

    /** {@code #identity}, {@code #account} or {@code #sync}: a repo-scoped event without posts. */
    static FirehoseEvent repoEvent(String type, long seq, String did, String time) {
        return new FirehoseEvent(1, type, seq, time, did, List.of(), List.of(), List.of(), List.of(), null, null, null,
                null);
    }

    static FirehoseEvent info(String name, String message) {
        return new FirehoseEvent(1, INFO, -1, null, null, List.of(), List.of(), List.of(), List.of(), null, null, name,
                message);
    }

    static FirehoseEvent error(String name, String message) {
        return new FirehoseEvent(-1, null, -1, null, null, List.of(), List.of(), List.of(), List.of(), name, message,
                null, null);
    }

    /** 1 for a message, -1 for an error frame. */
    public int op() {
        return op;
    }

    /** {@code #commit}, {@code #identity}, {@code #account}, {@code #sync} or {@code #info}; null for error frames. */
    public String type() {
        return type;
    }

    /** The relay sequence number, or -1 when the event has none ({@code #info}, error frames). */
    public long seq() {
        return seq;
    }

    public boolean hasSeq() {
        return seq >= 0;
    }

    /** Relay event time (ISO-8601 string), or null. */
    public String time() {
        return time;
    }

    /** The repo DID ({@code repo} of #commit, {@code did} of #sync/#identity/#account), else null. */
    public String repo() {
        return repo;
    }

    /** Posts created by this frame in ops order; an empty immutable list when none. */
    public List<Post> posts() {
        return posts;
    }

    /** Post records that were skipped as bad input. */
    public List<RecordProblem> recordProblems() {
        return recordProblems;
    }

    /**
     * Adjustments made to the optional fields of {@link #posts()} to fit {@link PostFieldCaps}: values dropped for
     * being too long or of the wrong syntax, lists cut. One per post, field and reason, in ops order; an empty
     * immutable list when none (the usual case). For {@code firehose_post_fields_dropped_total{field}}: add
     * {@link FieldProblem#values()} under {@link FieldProblem#field()}.
     */
    public List<FieldProblem> fieldProblems() {
        return fieldProblems;
    }

    /**
     * Posts deleted by this frame ({@code delete} ops of {@code app.bsky.feed.post} records) in ops order; an empty
     * immutable list when none. A delete with an invalid record key is a {@link RecordProblem} instead.
     */
    public List<PostDelete> postDeletes() {
        return postDeletes;
    }

    /** Error frames: the error name, e.g. {@code FutureCursor} or {@code ConsumerTooSlow}. */
    public String errorName() {
        return errorName;
    }

    public String errorMessage() {
        return errorMessage;
    }

    /** {@code #info} frames: the info name, e.g. {@code OutdatedCursor}. */
    public String infoName() {
        return infoName;
    }

    public String infoMessage() {
        return infoMessage;
    }

    @Override
    public String toString() {
        if (op == -1) {
            return "FirehoseEvent{error " + errorName + ": " + errorMessage + "}";
        }
        if (INFO.equals(type)) {
            return "FirehoseEvent{#info " + infoName + ": " + infoMessage + "}";
        }
        return "FirehoseEvent{" + type + " seq=" + seq + " repo=" + repo + " time=" + time + " posts=" + posts.size()
                + " problems=" + recordProblems.size() + " fieldProblems=" + fieldProblems.size()
                + " postDeletes=" + postDeletes.size() + "}";
    }
}
