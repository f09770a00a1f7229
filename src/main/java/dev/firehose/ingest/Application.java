package dev.firehose.ingest;

import org.apache.camel.main.Main;

/** Runs the service under camel-main: application.properties, the beans of {@link IngestConfiguration}, routes/*.yaml. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // The package scan finds IngestConfiguration (@Configuration).
        System.exit(new Main(Application.class).run(args));
    }
}
