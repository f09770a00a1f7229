/**
 * The ATProto codec: turns binary {@code com.atproto.sync.subscribeRepos} websocket frames into
 * {@link dev.firehose.ingest.atproto.FirehoseEvent}s carrying the posts they create.
 *
 * <p>Plain Java on Jackson's CBOR streaming parser, no Camel. This package owns the wire formats
 * the firehose is made of: the frame (DAG-CBOR header + body, {@link dev.firehose.ingest.atproto.FrameDecoder}),
 * CARv1 block bundles ({@link dev.firehose.ingest.atproto.CarReader}), CIDs and varints
 * ({@link dev.firehose.ingest.atproto.Cid}, {@link dev.firehose.ingest.atproto.Varint}), strict DAG-CBOR
 * record decoding into AT-JSON ({@link dev.firehose.ingest.atproto.DagCbor}) and the mapping of
 * {@code app.bsky.feed.post} records to {@link dev.firehose.ingest.atproto.Post}.
 *
 * <p>Everything malformed in a frame surfaces as {@link dev.firehose.ingest.atproto.MalformedFrameException};
 * individual bad post records are skipped and reported as {@link dev.firehose.ingest.atproto.RecordProblem}s, and
 * values dropped from a post's optional fields to fit {@link dev.firehose.ingest.atproto.PostFieldCaps} as
 * {@link dev.firehose.ingest.atproto.FieldProblem}s.
 */
package dev.firehose.ingest.atproto;
