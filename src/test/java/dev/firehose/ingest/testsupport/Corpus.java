package dev.firehose.ingest.testsupport;

import java.util.List;

/** Frames to replay, every post create they hold (in frame order), and the last frame's seq. */
public record Corpus(List<RelayFrame> frames, List<ExpectedPost> posts, long lastSeq) {
}
