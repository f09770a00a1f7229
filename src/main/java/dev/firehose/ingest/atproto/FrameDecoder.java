package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import java.io.IOException;
import java.util.Objects;

import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_BODY;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.INVALID_CBOR;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.LIMIT_EXCEEDED;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.TOO_DEEP;
import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.TOO_LARGE;

/**
 * Decodes binary {@code com.atproto.sync.subscribeRepos} frames: a DAG-CBOR header map followed by a DAG-CBOR body
 * map. Nearly every frame takes {@link FrameScanner}'s fast path over the raw bytes; the rest, and every frame it is
 * not sure of, are read by one Jackson CBOR parser straight off the frame array, with the same result for the frames
 * both read. Thread-safe and reusable: one instance per app.
 */
public final class FrameDecoder {

    private final DecodeLimits limits;
    private final CBORFactory cbor;
    private final PostExtractor postExtractor;

    public FrameDecoder() {
        this(DecodeLimits.defaults());
    }

    public FrameDecoder(DecodeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.cbor = CBORFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxDocumentLength(limits.maxFrameBytes())
                        .maxStringLength(limits.maxFrameBytes())
                        .build())
                .build();
        this.postExtractor = new PostExtractor(new DagCbor(limits.maxNestingDepth()));
    }

    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Decodes one binary websocket frame.
     *
     * @throws MalformedFrameException for anything malformed in the frame; no other exception escapes
     */
    public FirehoseEvent decode(byte[] frame) throws MalformedFrameException {
        if (frame == null) {
            throw new MalformedFrameException(INVALID_CBOR, "no frame", -1);
        }
        if (frame.length > limits.maxFrameBytes()) {
            throw new MalformedFrameException(TOO_LARGE,
                    frame.length + " bytes, more than " + limits.maxFrameBytes(), -1);
        }
        FirehoseEvent scanned = scan(frame);
        return scanned != null ? scanned : decodeFully(frame);
    }

    /** The fast path: the event of a plainly well-formed commit or repo event, or null (decode it in full). */
    FirehoseEvent scan(byte[] frame) {
        return FrameScanner.scan(frame, limits, postExtractor);
    }

    /** The Jackson path: every frame the fast path declines, and the reference the fast path is tested against. */
    FirehoseEvent decodeFully(byte[] frame) throws MalformedFrameException {
        FrameCursor cursor = null;
        try (CBORParser parser = cbor.createParser(frame)) {
            cursor = new FrameCursor(frame, parser, limits);
            return decode(cursor);
        } catch (MalformedFrameException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            boolean depth = String.valueOf(e.getMessage()).contains("nesting depth");
            throw new MalformedFrameException(depth ? TOO_DEEP : LIMIT_EXCEEDED, e.getOriginalMessage(), seqOf(cursor), e);
        } catch (IOException | RuntimeException e) {
            // Jackson's parse errors (truncation, bad UTF-8, bad heads) and anything unforeseen: the frame is at fault
            throw new MalformedFrameException(INVALID_CBOR, String.valueOf(e.getMessage()), seqOf(cursor), e);
        }
    }

    private FirehoseEvent decode(FrameCursor c) throws IOException, MalformedFrameException {
        FrameHeader header = FrameHeader.read(c);
        JsonToken t = c.parser.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw c.fail(BAD_BODY, t == null ? "frame has no body" : "body must be a map, found " + t);
        }
        c.requireDefiniteLength();
        FirehoseEvent event = null;
        CommitBody commit = null;
        if (header.op() == -1) {
            event = EventBodyReader.error(c);
        } else {
            switch (header.type()) {
                case FirehoseEvent.COMMIT -> commit = CommitBodyReader.read(c);
                case FirehoseEvent.INFO -> event = EventBodyReader.info(c);
                default -> event = EventBodyReader.repoEvent(c, header.type());
            }
        }
        // nothing may follow the body; checked before any CAR work so padded frames fail fast
        if (c.parser.nextToken() != null) {
            throw c.fail(INVALID_CBOR, "bytes after the body");
        }
        return commit != null ? postExtractor.commitEvent(c, commit) : event;
    }

    private static long seqOf(FrameCursor cursor) {
        return cursor == null ? -1 : cursor.seq;
    }
}
