package dev.firehose.ingest.config;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values of a NATS configuration, each in the forms it may be written in (as given, URL-encoded,
 * URL-decoded), ready for {@link Redaction#text}: the password and token, the user-info of each server URL (and
 * its password part), and what the {@code .creds} file and the NKey seed file hold (the user JWT, which may be a
 * bearer token, and the seed). User names and file paths are not secrets.
 */
public final class NatsSecrets {

    // a .creds file: "-----BEGIN NATS USER JWT-----\n<jwt>\n------END NATS USER JWT------", the same for the seed
    private static final Pattern DECORATED_BLOCK = Pattern.compile("-{3,}BEGIN [^\\n]*?-{3,}\\s*(\\S+)\\s*-{3,}END");
    private static final Pattern URL_USER_INFO = Pattern.compile("^(?:[A-Za-z][A-Za-z0-9+.-]*://)?([^/?#\\s]*)@");
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private NatsSecrets() {
    }

    /** Every value to mask, as {@link Redaction#maskable} prepares them. Unreadable files are skipped. */
    public static List<String> of(String natsUrl, NatsAuth auth) {
        Set<String> values = new LinkedHashSet<>();
        values.add(auth.password());
        values.add(auth.token());
        for (String server : natsUrl == null ? new String[0] : natsUrl.split(",")) {
            Matcher m = URL_USER_INFO.matcher(server.trim());
            if (m.find()) {
                String userInfo = m.group(1);
                values.add(userInfo);
                int colon = userInfo.indexOf(':');
                values.add(colon < 0 ? userInfo : userInfo.substring(colon + 1)); // a token, or the password
            }
        }
        values.addAll(fileSecrets(auth.credsFile()));
        values.addAll(fileSecrets(auth.nkeySeedFile()));
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isEmpty()) {
                continue;
            }
            forms.add(value);
            forms.add(decoded(value));
            String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
            forms.add(encoded);
            forms.add(encoded.replace("+", "%20"));
        }
        return Redaction.maskable(forms);
    }

    /** The contents of the BEGIN/END blocks of a .creds file; in a file without blocks, each non-blank line. */
    static List<String> fileSecrets(String file) {
        if (file == null || file.isBlank()) {
            return List.of();
        }
        String content;
        try {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path) || Files.size(path) > MAX_FILE_BYTES) {
                return List.of();
            }
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of(); // cannot read it: neither can the NATS client, so nothing of it reaches a log
        }
        List<String> blocks = DECORATED_BLOCK.matcher(content).results().map(r -> r.group(1)).toList();
        return blocks.isEmpty() ? content.lines().map(String::trim).filter(l -> !l.isEmpty()).toList() : blocks;
    }

    private static String decoded(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
