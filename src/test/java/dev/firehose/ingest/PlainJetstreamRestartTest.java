package dev.firehose.ingest;

/** {@link JetstreamRestartTest} over text messages ({@code JETSTREAM_COMPRESS=false}). */
class PlainJetstreamRestartTest extends JetstreamRestartTest {

    @Override
    protected boolean compressed() {
        return false;
    }
}
