package dev.firehose.ingest.testsupport;

/** One binary firehose frame (DAG-CBOR header ‖ DAG-CBOR body) and the seq in its body. */
public record RelayFrame(long seq, byte[] bytes) {
}
