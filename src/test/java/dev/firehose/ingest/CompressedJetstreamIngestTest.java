package dev.firehose.ingest;

/** {@link JetstreamIngestTest} over zstd messages with Jetstream's dictionary ({@code JETSTREAM_COMPRESS=true}). */
class CompressedJetstreamIngestTest extends JetstreamIngestTest {

    @Override
    protected boolean compressed() {
        return true;
    }
}
