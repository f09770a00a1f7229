package dev.firehose.ingest;

/** {@link JetstreamRestartTest} over zstd messages with Jetstream's dictionary ({@code JETSTREAM_COMPRESS=true}). */
class CompressedJetstreamRestartTest extends JetstreamRestartTest {

    @Override
    protected boolean compressed() {
        return true;
    }
}
