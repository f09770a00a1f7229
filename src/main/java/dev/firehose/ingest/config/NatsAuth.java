package dev.firehose.ingest.config;

/**
 * How the service proves itself to NATS, from {@code NATS_USER}/{@code NATS_PASSWORD}, {@code NATS_TOKEN},
 * {@code NATS_CREDS} (a .creds file: JWT + NKey, for NGS/operator mode), {@code NATS_NKEY_SEED_FILE}, and TLS
 * ({@code NATS_TLS_CA}, {@code NATS_TLS_CERT} + {@code NATS_TLS_KEY} for mutual TLS; PEM files). Empty strings
 * mean unset. Credentials in {@code NATS_URL} ({@code nats://user:pass@host}) also work, and are never logged.
 */
public record NatsAuth(String user, String password, String token, String credsFile, String nkeySeedFile,
                       String tlsCa, String tlsCert, String tlsKey) {

    public static NatsAuth none() {
        return new NatsAuth("", "", "", "", "", "", "", "");
    }

    public boolean hasTls() {
        return !tlsCa.isEmpty() || !tlsCert.isEmpty();
    }

    /** Secrets stay out of logs and reports, including through a record's generated toString. */
    @Override
    public String toString() {
        return "NatsAuth[user=" + (user.isEmpty() ? "-" : user) + ", password=" + mask(password) + ", token="
                + mask(token) + ", creds=" + (credsFile.isEmpty() ? "-" : credsFile) + ", nkey="
                + (nkeySeedFile.isEmpty() ? "-" : nkeySeedFile) + ", tls=" + hasTls() + "]";
    }

    private static String mask(String secret) {
        return secret.isEmpty() ? "-" : "***";
    }
}
