package dev.firehose.ingest.logging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.firehose.ingest.config.NatsAuth;
import dev.firehose.ingest.config.NatsSecrets;
import dev.firehose.ingest.config.Setting;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.StringMap;

/**
 * {@code <MaskSecrets/>} in a {@code Rewrite} appender (log4j2.xml): every event on its way to the console has its
 * formatted message, its exception (messages of the whole cause chain and the suppressed ones), its context data
 * (MDC) and its thread name masked by a {@link SecretMasker}. The secret values are read once, when log4j builds
 * the configuration at start-up, from the environment ({@code NATS_URL}, {@code NATS_PASSWORD},
 * {@code NATS_TOKEN}) and the files {@code NATS_CREDS} and {@code NATS_NKEY_SEED_FILE} name. An event with
 * nothing to mask passes unchanged.
 */
@Plugin(name = "MaskSecrets", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class MaskSecretsPolicy implements RewritePolicy {

    private final SecretMasker masker;
    private final int values;

    MaskSecretsPolicy(List<String> secrets) {
        this.masker = new SecretMasker(secrets);
        this.values = secrets.size();
    }

    @PluginFactory
    public static MaskSecretsPolicy createPolicy() {
        return new MaskSecretsPolicy(secretsIn(System.getenv()));
    }

    /** The secret values the service's settings in {@code env} hold (see {@link NatsSecrets}). */
    static List<String> secretsIn(Map<String, String> env) {
        NatsAuth auth = new NatsAuth(get(env, Setting.NATS_USER), get(env, Setting.NATS_PASSWORD),
                get(env, Setting.NATS_TOKEN), get(env, Setting.NATS_CREDS), get(env, Setting.NATS_NKEY_SEED_FILE),
                "", "", "");
        return NatsSecrets.of(get(env, Setting.NATS_URL), auth);
    }

    private static String get(Map<String, String> env, Setting setting) {
        String value = env.get(setting.env());
        return value == null ? "" : value.trim();
    }

    @Override
    public LogEvent rewrite(LogEvent event) {
        Message message = event.getMessage();
        String text = message == null ? null : message.getFormattedMessage();
        String maskedText = masker.mask(text);
        Throwable thrown = event.getThrown();
        Throwable maskedThrown = masker.mask(thrown);
        StringMap maskedContext = maskedContext(event.getContextData());
        String thread = event.getThreadName();
        String maskedThread = masker.mask(thread);
        boolean messageChanged = !Objects.equals(text, maskedText);
        boolean threadChanged = !Objects.equals(thread, maskedThread);
        if (!messageChanged && maskedThrown == thrown && maskedContext == null && !threadChanged) {
            return event;
        }
        Log4jLogEvent.Builder masked = new Log4jLogEvent.Builder(event);
        if (messageChanged) {
            masked.setMessage(new SimpleMessage(maskedText));
        }
        if (maskedThrown != thrown) {
            masked.setThrown(maskedThrown);
        }
        if (maskedContext != null) {
            masked.setContextData(maskedContext);
        }
        if (threadChanged) {
            masked.setThreadName(maskedThread);
        }
        return masked.build();
    }

    /** A copy of the context data with its values masked, or null when none needs it. */
    private StringMap maskedContext(ReadOnlyStringMap data) {
        if (data == null || data.isEmpty()) {
            return null;
        }
        Map<String, String> changed = new LinkedHashMap<>();
        data.forEach((String key, Object value) -> {
            if (value != null) {
                String text = String.valueOf(value);
                String masked = masker.mask(text);
                if (!masked.equals(text)) {
                    changed.put(key, masked);
                }
            }
        });
        if (changed.isEmpty()) {
            return null;
        }
        StringMap copy = ContextDataFactory.createContextData(data);
        changed.forEach(copy::putValue);
        return copy;
    }

    @Override
    public String toString() {
        return "MaskSecrets[" + values + " configured values and the URL, NKey seed and private key patterns]";
    }
}
