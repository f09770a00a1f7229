package dev.firehose.ingest;

import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/** Runs the service under camel-main: application.properties, the beans of {@link IngestConfiguration}, the routes. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // An exception no one catches (a failed start-up leaves main with one) is logged, where secrets in its
        // messages are masked, instead of printed raw to stderr by the JVM.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> LoggerFactory.getLogger(Application.class)
                .error("Uncaught exception in thread {}", thread.getName(), e));
        // The configuration class is named, not found by scanning the classpath.
        Main main = new Main();
        main.configure().addConfiguration(IngestConfiguration.class);
        System.exit(main.run(args));
    }
}
