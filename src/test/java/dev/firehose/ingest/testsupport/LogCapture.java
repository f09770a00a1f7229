package dev.firehose.ingest.testsupport;

import java.io.StringWriter;
import java.util.List;

import dev.firehose.ingest.logging.MaskSecretsPolicy;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.appender.rewrite.RewriteAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;

/**
 * Copies everything logged in this JVM, as the service's console writes it (log4j2.xml: the secret masking, then
 * the console appender's layout), into memory, so a test can check what an operator would read on stdout.
 */
public final class LogCapture implements AutoCloseable {

    private static final String CAPTURE = "capture";
    private static final String MASKED_CAPTURE = "capture-masked";

    private final StringWriter written = new StringWriter();
    private final LoggerContext context;
    private final WriterAppender appender;
    private final RewriteAppender masking;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender console = config.getAppender("console");
        appender = WriterAppender.newBuilder().setName(CAPTURE).setTarget(written)
                .setLayout(console.getLayout()).build();
        appender.start();
        config.addAppender(appender);
        masking = RewriteAppender.createAppender(MASKED_CAPTURE, "true",
                new AppenderRef[] {AppenderRef.createAppenderRef(CAPTURE, null, null)}, config,
                MaskSecretsPolicy.createPolicy(), null);
        masking.start();
        config.getRootLogger().addAppender(masking, null, null);
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
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(MASKED_CAPTURE);
        context.updateLoggers();
        masking.stop();
        appender.stop();
        if (config instanceof AbstractConfiguration registry) {
            registry.removeAppender(CAPTURE);
        }
    }
}
