package dev.firehose.ingest.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import io.nats.client.NKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class NatsSecretsTest {

    @TempDir
    Path tmp;

    @Test
    void passwordTokenAndUrlUserInfoInEveryWrittenForm() {
        NatsAuth auth = new NatsAuth("svc", "pa ss/w0rd!", "tok-123456", "", "", "", "", "");
        assertThat(NatsSecrets.of("nats://ingest:url%40secret@h1:4222, tls://token-in-url@h2:4222", auth))
                .contains("pa ss/w0rd!", "pa+ss%2Fw0rd%21", "pa%20ss%2Fw0rd%21", "tok-123456",
                        "ingest:url%40secret", "url%40secret", "url@secret", "token-in-url")
                .doesNotContain("svc", "ingest", "h1");
    }

    @Test
    void aCredsFileGivesItsJwtAndSeed() throws Exception {
        String seed = new String(NKey.createUser(new SecureRandom()).getSeed());
        String jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVQUJDIn0.c2lnbmF0dXJl";
        Path creds = tmp.resolve("user.creds");
        Files.writeString(creds, "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n"
                + "NKEYs are sensitive and should be treated as secrets.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + seed + "\n------END USER NKEY SEED------\n");
        NatsAuth auth = new NatsAuth("", "", "", creds.toString(), "", "", "", "");
        assertThat(NatsSecrets.of("nats://h:4222", auth)).containsExactlyInAnyOrder(jwt, seed);
    }

    @Test
    void aSeedFileGivesItsSeedAndAMissingFileNothing() throws Exception {
        String seed = new String(NKey.createUser(new SecureRandom()).getSeed());
        Path file = tmp.resolve("user.nk");
        Files.writeString(file, seed + "\n");
        assertThat(NatsSecrets.of("nats://h:4222", new NatsAuth("", "", "", "", file.toString(), "", "", "")))
                .containsExactly(seed);
        assertThat(NatsSecrets.of("nats://h:4222",
                new NatsAuth("", "", "", tmp.resolve("missing").toString(), "", "", "", ""))).isEmpty();
    }
}
