package dev.firehose.ingest.logging;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import io.nats.client.NKey;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.rewrite.RewriteAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.util.PluginManager;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.util.StringMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class MaskSecretsPolicyTest {

    private static final String URL_PASSWORD = "url-pass-7Qx9";
    private static final String PASSWORD = "p4ss-W0rd-k2";
    private static final String TOKEN = "tok-8Hh3-Zz";
    private static final String NATS_URL = "nats://ingest:" + URL_PASSWORD + "@127.0.0.1:4222";

    @TempDir
    Path tmp;

    private final MaskSecretsPolicy policy = new MaskSecretsPolicy(MaskSecretsPolicy.secretsIn(Map.of(
            "NATS_URL", NATS_URL, "NATS_USER", "svc", "NATS_PASSWORD", PASSWORD, "NATS_TOKEN", TOKEN)));

    @Test
    void theFormattedMessageIsMasked() {
        LogEvent event = event(new ParameterizedMessage("Found an OS environment property: {} with value: {}",
                "nats.url", NATS_URL), null);
        assertThat(policy.rewrite(event).getMessage().getFormattedMessage())
                .isEqualTo("Found an OS environment property: nats.url with value: nats://***@127.0.0.1:4222");

        String masked = policy.rewrite(event(new ParameterizedMessage("password={} token={} user={}", PASSWORD,
                TOKEN, "svc"), null)).getMessage().getFormattedMessage();
        assertThat(masked).isEqualTo("password=*** token=*** user=svc");
    }

    @Test
    void exceptionMessagesAreMaskedThroughTheCauseChainAndSuppressedWithTheirFrames() {
        IOException unreachable = new IOException("Unable to connect to NATS servers: [" + NATS_URL + "]",
                new ConnectException("Connection refused: " + PASSWORD));
        unreachable.addSuppressed(new IllegalArgumentException("token " + TOKEN));
        IllegalStateException thrown = new IllegalStateException("NATS start failed", unreachable);

        LogEvent masked = policy.rewrite(event(new ParameterizedMessage("start failed"), thrown));

        for (Layout<?> layout : layouts()) {
            String line = new String(layout.toByteArray(masked), UTF_8);
            assertThat(line).doesNotContain(URL_PASSWORD).doesNotContain(PASSWORD).doesNotContain(TOKEN)
                    // the JSON layout prints "Caused by: java.io.IOException: ..."; the console layout prints the
                    // stand-in's class first: "Caused by: dev.firehose.ingest.logging.MaskedThrowable: java.io..."
                    .contains("java.lang.IllegalStateException: NATS start failed")
                    .contains("java.io.IOException: Unable to connect to NATS servers: [nats://***@127.0.0.1:4222]")
                    .contains("java.net.ConnectException: Connection refused: ***")
                    .contains("java.lang.IllegalArgumentException: token ***")
                    .contains("Caused by: ").contains("Suppressed: ")
                    .contains("MaskSecretsPolicyTest.exceptionMessagesAreMaskedThroughTheCauseChainAndSuppressed");
        }
        assertThat(masked.getThrown().getStackTrace()).isEqualTo(thrown.getStackTrace());
        assertThat(masked.getThrown().getCause().getStackTrace()).isEqualTo(unreachable.getStackTrace());
    }

    @Test
    void aCauseCycleDoesNotLoop() {
        IOException a = new IOException("a " + PASSWORD);
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b);
        Throwable masked = policy.rewrite(event(new ParameterizedMessage("x"), b)).getThrown();
        assertThat(masked.getCause().getMessage()).isEqualTo("java.io.IOException: a ***");
        assertThat(masked.getCause().getCause()).isSameAs(masked);
    }

    @Test
    void contextDataAndTheThreadNameAreMasked() {
        StringMap context = ContextDataFactory.createContextData();
        context.putValue("seq", "12345");
        context.putValue("server", NATS_URL);
        LogEvent event = new Log4jLogEvent.Builder(event(new ParameterizedMessage("frame"), null))
                .setContextData(context).setThreadName("connect " + NATS_URL).build();

        LogEvent masked = policy.rewrite(event);

        assertThat(masked.getContextData().toMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of("seq", "12345", "server", "nats://***@127.0.0.1:4222"));
        assertThat(masked.getThreadName()).isEqualTo("connect nats://***@127.0.0.1:4222");
    }

    @Test
    void anEventWithoutSecretsPassesUnchanged() {
        LogEvent event = event(new ParameterizedMessage("stats: {} frames", 1200),
                new IOException("Connection refused"));
        assertThat(policy.rewrite(event)).isSameAs(event);
    }

    @Test
    void seedsFromTheSeedFileAndShortValuesAsDocumented() throws Exception {
        String seed = new String(NKey.createUser(new SecureRandom()).getSeed());
        Path seedFile = Files.writeString(tmp.resolve("user.nk"), seed + "\n");
        MaskSecretsPolicy withShortPassword = new MaskSecretsPolicy(MaskSecretsPolicy.secretsIn(Map.of(
                "NATS_URL", "nats://u:pw@h:4222", "NATS_USER", "u", "NATS_PASSWORD", "pw",
                "NATS_NKEY_SEED_FILE", seedFile.toString())));

        String masked = withShortPassword.rewrite(event(new ParameterizedMessage(
                "seed {} password {} url {}", seed, "pw", "nats://u:pw@h:4222"), null))
                .getMessage().getFormattedMessage();

        // "pw" is under Redaction.MIN_SECRET_LENGTH: not masked on its own, but masked inside a URL
        assertThat(masked).isEqualTo("seed *** password pw url nats://***@h:4222");
    }

    @Test
    void log4jFindsThePluginInItsDescriptorWithoutAPackageScan() {
        PluginManager plugins = new PluginManager(Core.CATEGORY_NAME);
        plugins.collectPlugins(List.of());
        assertThat(plugins.getPluginType("masksecrets")).isNotNull();
        assertThat(plugins.getPluginType("masksecrets").getPluginClass()).isEqualTo(MaskSecretsPolicy.class);
    }

    @Test
    void theShippedConfigurationSendsEveryEventThroughTheMasking() {
        Configuration config = ((LoggerContext) LogManager.getContext(false)).getConfiguration();
        Appender out = config.getAppender("out");
        assertThat(out).isInstanceOf(RewriteAppender.class);
        assertThat(config.getRootLogger().getAppenders()).containsOnlyKeys("out");
        assertThat(config.getLoggerConfig("dev.firehose.ingest").getAppenders()).isEmpty(); // inherits root's
    }

    private static LogEvent event(ParameterizedMessage message, Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName("test").setLevel(Level.WARN).setMessage(message)
                .setThrown(thrown).setThreadName("main").build();
    }

    /** The two layouts of log4j2.xml: LOG_FORMAT=json (default) and LOG_FORMAT=console. */
    private static List<Layout<?>> layouts() {
        Configuration config = ((LoggerContext) LogManager.getContext(false)).getConfiguration();
        return List.of(
                JsonTemplateLayout.newBuilder().setConfiguration(config)
                        .setEventTemplateUri("classpath:log-template.json").build(),
                PatternLayout.newBuilder().withConfiguration(config)
                        .withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c{1.} - %msg%notEmpty{ %X}%n")
                        .build());
    }
}
