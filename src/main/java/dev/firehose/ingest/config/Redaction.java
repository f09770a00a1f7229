package dev.firehose.ingest.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of logs and endpoints, the one place where text is masked: credentials in URLs, NKey seeds,
 * PEM private keys, and exact secret values. Our own messages and endpoint answers call it directly; every log
 * line also passes through it at the logging layer ({@code dev.firehose.ingest.logging}).
 */
public final class Redaction {

    /** What replaces a secret. */
    public static final String MASK = "***";

    /**
     * Exact values shorter than this are not masked: a short value also occurs in ordinary text, so masking it
     * would garble lines (a 1-character password would hit every line) and give the value away by context
     * ("***rmation"). Such values are still masked where a pattern finds them, e.g. in a URL's user-info.
     */
    public static final int MIN_SECRET_LENGTH = 6;

    // scheme://user:password@ or scheme://token@: everything between :// and the last @ of the authority
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/?#\\s,]*@");
    // user:password@host without a scheme (a NATS_URL written as host:port): a user token, a colon, a password, @
    private static final Pattern BARE_USER_INFO = Pattern.compile(
            "(?<![A-Za-z0-9._~%+-])[A-Za-z0-9._~%+-]+:[^\\s@/,]+@");
    private static final Pattern SCHEME = Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9+.-]*://");
    // NKey seeds (jnats NKey.encodeSeed): base32 of 2 prefix bytes + 32 key bytes + CRC-16, 58 characters; 'S'
    // then the key type (User, Account, Operator, Cluster, server (N), Private, curve (X)); longer for 64-byte keys
    private static final Pattern NKEY_SEED = Pattern.compile("(?<![A-Z2-7])S[UAOCNPX][A-Z2-7]{54,}");
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", Pattern.DOTALL);

    private Redaction() {
    }

    /**
     * Masks the user-info of every URL in {@code text}: {@code nats://user:secret@host:4222} becomes
     * {@code nats://***@host:4222}, also in comma-separated lists, and {@code user:secret@host:4222} (no scheme)
     * becomes {@code ***@host:4222}.
     */
    public static String url(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        String masked = URL_USER_INFO.matcher(text).replaceAll(MASK + "@");
        return BARE_USER_INFO.matcher(masked).replaceAll(MASK + "@");
    }

    /**
     * A URL list that did not parse, for an error message: in each comma-separated part, all before the last @ but
     * the scheme is masked, whitespace and all ({@link #url} stops at whitespace, as it reads running text).
     */
    public static String unparsableUrl(String value) {
        if (value == null || value.indexOf('@') < 0) {
            return value;
        }
        List<String> parts = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            int at = part.lastIndexOf('@');
            if (at < 0) {
                parts.add(part);
                continue;
            }
            Matcher scheme = SCHEME.matcher(part);
            parts.add((scheme.find() ? scheme.group().trim() : "") + MASK + part.substring(at));
        }
        return String.join(",", parts);
    }

    /** Masks what looks like a secret wherever it is: URL user-info, NKey seeds, PEM private keys. */
    public static String patterns(String text) {
        if (text == null) {
            return null;
        }
        String masked = url(text);
        if (masked.indexOf('S') >= 0) {
            masked = NKEY_SEED.matcher(masked).replaceAll(MASK);
        }
        if (masked.contains("PRIVATE KEY-----")) {
            masked = PEM_PRIVATE_KEY.matcher(masked).replaceAll(MASK);
        }
        return masked;
    }

    /**
     * The values worth masking, ready for {@link #text}: without duplicates and those shorter than
     * {@link #MIN_SECRET_LENGTH}, longest first (so a value inside another does not leave the rest of the longer
     * one behind).
     */
    public static List<String> maskable(Collection<String> values) {
        return values.stream().filter(v -> v != null && v.length() >= MIN_SECRET_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Masks every occurrence of the values (prepared by {@link #maskable}, in that order), then {@link #patterns}. */
    public static String text(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return patterns(masked);
    }
}
