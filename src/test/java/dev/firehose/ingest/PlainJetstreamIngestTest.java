package dev.firehose.ingest;

/** {@link JetstreamIngestTest} over text messages ({@code JETSTREAM_COMPRESS=false}). */
class PlainJetstreamIngestTest extends JetstreamIngestTest {

    @Override
    protected boolean compressed() {
        return false;
    }
}
