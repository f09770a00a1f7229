package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_BODY;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_CAR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.LIMIT_EXCEEDED;

/**
 * Turns a commit's post creates into {@link Post}s: parse the CAR once, then per create look up the block, check it
 * hashes to the op's CID, decode it strictly and map it. A bad record becomes a {@link RecordProblem}; only a CAR that
 * does not parse at all fails the frame.
 */
final class PostExtractor {

    private final DagCbor dagCbor;

    PostExtractor(DagCbor dagCbor) {
        this.dagCbor = dagCbor;
    }

    FirehoseEvent commitEvent(FrameCursor c, CommitBody body) throws MalformedFrameException {
        if (!body.hasPostCreates()) {
            return FirehoseEvent.commit(body.seq, body.repo, body.time, List.of(), List.of(), List.of());
        }
        CarFile car = car(c, body);
        List<Post> posts = new ArrayList<>(body.postCreates.size());
        List<RecordProblem> problems = List.of();
        List<FieldProblem> fieldProblems = List.of();
        for (CommitBody.PostCreate create : body.postCreates) {
            Cid cid = linkAt(c, create.cidOffset());
            String path = CommitBodyReader.POST_PATH_PREFIX + create.rkey();
            try {
                PostContent content = content(car, cid, create.rkey(), c.limits);
                posts.add(PostRecordMapper.post(content, body.repo, create.rkey(), cid.toString(), body.seq, body.time));
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
                problems.add(new RecordProblem(path, cid.toString(), e.reason(), e.getMessage()));
            }
        }
        return FirehoseEvent.commit(body.seq, body.repo, body.time, posts, problems, fieldProblems);
    }

    private PostContent content(CarFile car, Cid cid, String rkey, DecodeLimits limits) throws RejectedRecordException {
        if (!RecordKey.isValid(rkey)) {
            throw new RejectedRecordException(RecordProblem.Reason.INVALID_RECORD, "invalid record key");
        }
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
        return PostRecordMapper.content(record, limits.maxTextBytes());
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
