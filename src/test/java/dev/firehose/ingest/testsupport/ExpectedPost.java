package dev.firehose.ingest.testsupport;

import java.util.List;

/**
 * A post create the ingest is expected to publish, derived from the fixture record block with
 * plain Jackson CBOR (not the production codec), so tests have an independent oracle.
 * {@code langs} is the record's {@code langs}, or empty when it has none.
 */
public record ExpectedPost(String uri, String cid, String author, String rkey, String text,
                           String createdAt, List<String> langs, long seq) {
}
