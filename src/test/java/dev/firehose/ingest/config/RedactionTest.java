package dev.firehose.ingest.config;

import java.security.SecureRandom;
import java.util.List;

import io.nats.client.NKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void userInfoIsMaskedInUrlsWithAndWithoutScheme() {
        assertThat(Redaction.url("Connecting to nats://ingest:s3cret@10.0.0.1:4222 now"))
                .isEqualTo("Connecting to nats://***@10.0.0.1:4222 now");
        assertThat(Redaction.url("tls://tok3n@h:4222")).isEqualTo("tls://***@h:4222");
        assertThat(Redaction.url("Unable to connect to NATS servers: [ingest:s3cret@127.0.0.1:4222]"))
                .isEqualTo("Unable to connect to NATS servers: [***@127.0.0.1:4222]");
        assertThat(Redaction.url("ingest:s3cret@h1:4222,nats://a:b@h2:4222"))
                .isEqualTo("***@h1:4222,nats://***@h2:4222");
        // an unencoded @ in the password: everything up to the last @ of the authority goes
        assertThat(Redaction.url("nats://ingest:p@ss@h:4222/x")).isEqualTo("nats://***@h:4222/x");
    }

    @Test
    void textWithoutCredentialsIsLeftAlone() {
        for (String text : List.of("nats://h:4222", "mail me at someone@example.com", "a@b c:d",
                "http://example.com/path?x=a@b", "NatsConnection@5e3a9f", "12:30:01.123 INFO started")) {
            assertThat(Redaction.patterns(text)).isEqualTo(text);
        }
    }

    @Test
    void nkeySeedsAreMaskedAndPublicKeysAreNot() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        NKey account = NKey.createAccount(new SecureRandom());
        String userSeed = new String(user.getSeed());
        String accountSeed = new String(account.getSeed());
        String publicKey = new String(user.getPublicKey());
        assertThat(userSeed).hasSize(58).startsWith("SU");

        String text = "seed=" + userSeed + " account " + accountSeed + ".\nkey " + publicKey;
        assertThat(Redaction.patterns(text)).isEqualTo("seed=*** account ***.\nkey " + publicKey);
    }

    @Test
    void privateKeysInPemAreMasked() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
        assertThat(Redaction.patterns("key: " + pem + " done")).isEqualTo("key: *** done");
        assertThat(Redaction.patterns("cut: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE")).isEqualTo("cut: ***");
    }

    @Test
    void exactValuesAreMaskedLongestFirst() {
        List<String> secrets = Redaction.maskable(List.of("hunter2-long", "hunter2-long-er", "tok-secret"));
        assertThat(Redaction.text("p=hunter2-long-er t=tok-secret q=hunter2-long.", secrets))
                .isEqualTo("p=*** t=*** q=***.");
    }

    @Test
    void valuesShorterThanTheMinimumAreNotMaskedButUrlsStillAre() {
        assertThat(Redaction.MIN_SECRET_LENGTH).isEqualTo(6);
        List<String> secrets = Redaction.maskable(List.of("pw", "abcde", "abcdef"));
        assertThat(secrets).containsExactly("abcdef");
        assertThat(Redaction.text("pw abcde abcdef nats://u:pw@h:4222", secrets))
                .isEqualTo("pw abcde *** nats://***@h:4222");
    }

    @Test
    void anUnparsableUrlIsShownWithoutAnythingBeforeItsLastAt() {
        assertThat(Redaction.unparsableUrl("nats://user:s3 cret@ bad host:4222,h2:4222"))
                .isEqualTo("nats://***@ bad host:4222,h2:4222");
        assertThat(Redaction.unparsableUrl("user:p w@h:4222")).isEqualTo("***@h:4222");
        assertThat(Redaction.unparsableUrl("nats://h:4222")).isEqualTo("nats://h:4222");
    }

    @Test
    void nullStaysNull() {
        assertThat(Redaction.url(null)).isNull();
        assertThat(Redaction.patterns(null)).isNull();
        assertThat(Redaction.text(null, List.of("abcdef"))).isNull();
    }
}
