package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_BODY;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_CAR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.LIMIT_EXCEEDED;

/**
 * Turns a commit's post creates into {@link Post}s: parse the CAR once, then per create look up the block, check it
 * hashes to the op's CID, decode it strictly and map it. A bad record becomes a {@link RecordProblem}; only a CAR that
 * does not parse at all fails the frame.
 *
 * <p>Amplification is bounded (issue 13 item 3): each block is hashed, decoded and mapped once per frame however many
 * creates point at it (posts of one block share their strings), and the posts of a frame together carry at most
 * {@link DecodeLimits#maxFrameTextBytes()} of text. So the work and the memory of a frame are bounded by its size, not
 * by its size times its number of creates.
 */
final class PostExtractor {

    private final DagCbor dagCbor;

    PostExtractor(DagCbor dagCbor) {
        this.dagCbor = dagCbor;
    }

    FirehoseEvent commitEvent(FrameCursor c, CommitBody body) throws MalformedFrameException {
        List<RecordProblem> problems = List.of();
        List<PostDelete> deletes = List.of();
        for (String rkey : body.postDeletes) {
            try {
                PostDelete delete = PostDelete.of(body.repo, rkey, body.seq, body.time);
                if (deletes.isEmpty()) {
                    deletes = new ArrayList<>(1);
                }
                deletes.add(delete);
            } catch (RejectedRecordException e) {
                // the repo and time were checked with the body: only the record key can be wrong
                if (problems.isEmpty()) {
                    problems = new ArrayList<>(1);
                }
                problems.add(new RecordProblem(CommitBodyReader.POST_PATH_PREFIX + Excerpt.of(rkey), null, e.reason(),
                        "delete: " + e.getMessage()));
            }
        }
        if (!body.hasPostCreates()) {
            return FirehoseEvent.commit(body.seq, body.repo, body.time, List.of(), problems, List.of(), deletes);
        }
        CarFile car = car(c, body);
        Map<Cid, DecodedRecord> decoded = new HashMap<>(4);
        long textLeft = c.limits.maxFrameTextBytes();
        List<Post> posts = new ArrayList<>(body.postCreates.size());
        List<FieldProblem> fieldProblems = List.of();
        for (CommitBody.PostCreate create : body.postCreates) {
            Cid cid = linkAt(c, create.cidOffset());
            boolean validKey = RecordKey.isValid(create.rkey());
            // an invalid key may be megabytes long or hold CR/LF: the problem (logged) names an escaped excerpt
            String path = CommitBodyReader.POST_PATH_PREFIX + (validKey ? create.rkey() : Excerpt.of(create.rkey()));
            String cidText = null;
            try {
                if (!validKey) {
                    throw new RejectedRecordException(RecordProblem.Reason.INVALID_RECORD, "invalid record key");
                }
                DecodedRecord record = decoded.get(cid);
                if (record == null) {
                    record = decode(car, cid, c.limits.maxTextBytes());
                    decoded.put(cid, record);
                }
                cidText = record.cid;
                PostContent content = record.contentOrThrow();
                if (content.textBytes() > textLeft) {
                    throw new RejectedRecordException(RecordProblem.Reason.TEXT_BUDGET_EXCEEDED, "text of "
                            + content.textBytes() + " bytes, " + textLeft + " left of the frame's "
                            + c.limits.maxFrameTextBytes());
                }
                textLeft -= content.textBytes();
                posts.add(PostRecordMapper.post(content, body.repo, create.rkey(), cidText, body.seq, body.time));
                if (!content.fieldProblems().isEmpty()) {
                    if (fieldProblems.isEmpty()) {
                        fieldProblems = new ArrayList<>(1);
                    }
                    fieldProblems.addAll(content.fieldProblemsAt(path));
                }
            } catch (RejectedRecordException e) {
                if (problems.isEmpty()) {
                    problems = new ArrayList<>(1);
                }
                problems.add(new RecordProblem(path, cidText != null ? cidText : cid.toString(), e.reason(),
                        e.getMessage()));
            }
        }
        return FirehoseEvent.commit(body.seq, body.repo, body.time, posts, problems, fieldProblems, deletes);
    }

    /** The block filed under {@code cid}, checked, decoded and mapped; or why it cannot be a post. */
    private DecodedRecord decode(CarFile car, Cid cid, int maxTextBytes) {
        try {
            CarBlock block = car.block(cid);
            if (block == null) {
                throw new RejectedRecordException(RecordProblem.Reason.BLOCK_MISSING,
                        "no block for " + cid + " in the commit's CAR");
            }
            if (!block.verifies()) {
                throw new RejectedRecordException(RecordProblem.Reason.CID_MISMATCH, "block bytes do not hash to " + cid);
            }
            JsonNode record;
            try {
                record = dagCbor.decode(block.source(), block.offset(), block.length());
            } catch (DagCborException e) {
                throw new RejectedRecordException(RecordProblem.Reason.INVALID_DAG_CBOR, e.getMessage());
            }
            return new DecodedRecord(cid.toString(), PostRecordMapper.content(record, maxTextBytes), null);
        } catch (RejectedRecordException e) {
            return new DecodedRecord(cid.toString(), null, e);
        }
    }

    /** One record block of the frame, decoded once: its post content, or why it has none. */
    private record DecodedRecord(String cid, PostContent content, RejectedRecordException rejection) {

        PostContent contentOrThrow() throws RejectedRecordException {
            if (rejection != null) {
                throw rejection;
            }
            return content;
        }
    }

    private static CarFile car(FrameCursor c, CommitBody body) throws MalformedFrameException {
        if (body.blocksOffset < 0) {
            throw c.fail(BAD_BODY, "post creates but no blocks");
        }
        try {
            return CarReader.read(c.frame, body.blocksOffset, body.blocksLength, c.limits);
        } catch (CarFormatException e) {
            throw c.fail(e.isLimitExceeded() ? LIMIT_EXCEEDED : BAD_CAR, e.getMessage());
        }
    }

    /** The CID of an op, read from the frame where Jackson saw the tag-42 link: tag head, bytes head, 0x00, CID. */
    private static Cid linkAt(FrameCursor c, int off) throws MalformedFrameException {
        byte[] f = c.frame;
        int tagHead = Cbor.headLength(Cbor.additionalInfo(f[off]));
        int bytesAt = off + tagHead;
        if (Cbor.major(f[off]) != Cbor.MAJOR_TAG || tagHead < 0 || bytesAt >= f.length
                || Cbor.argument(f, off) != Cbor.CID_TAG || Cbor.major(f[bytesAt]) != Cbor.MAJOR_BYTES) {
            throw c.fail(BAD_BODY, "op cid is not a plain tag-42 link");
        }
        int bytesHead = Cbor.headLength(Cbor.additionalInfo(f[bytesAt]));
        if (bytesHead < 0 || bytesHead > f.length - bytesAt) {
            throw c.fail(BAD_BODY, "op cid is not a definite-length byte string");
        }
        long length = Cbor.argument(f, bytesAt);
        int payload = bytesAt + bytesHead;
        if (length < 2 || length > f.length - payload || f[payload] != 0) {
            throw c.fail(BAD_BODY, "op cid link does not hold 0x00 and a CID");
        }
        try {
            return Cid.parse(f, payload + 1, (int) length - 1);
        } catch (IllegalArgumentException e) {
            throw c.fail(BAD_BODY, "op cid: " + e.getMessage());
        }
    }
}
