package dev.firehose.ingest.testsupport;

import java.io.StringWriter;
import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;

/**
 * Copies everything logged in this JVM, formatted by the service's own console layout (log4j2.xml), into memory,
 * so a test can check what an operator would read on stdout.
 */
public final class LogCapture implements AutoCloseable {

    private final StringWriter written = new StringWriter();
    private final LoggerContext context;
    private final WriterAppender appender;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender console = config.getAppender("out");
        appender = WriterAppender.newBuilder().setName("capture").setTarget(written)
                .setLayout(console.getLayout()).build();
        appender.start();
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public synchronized List<String> lines() {
        return written.toString().lines().toList();
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender("capture");
        context.updateLoggers();
        appender.stop();
    }
}
