package dev.firehose.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.config.NatsAuth;
import dev.firehose.ingest.nats.NatsConnector;
import dev.firehose.ingest.testsupport.Corpus;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.FreePorts;
import dev.firehose.ingest.testsupport.LogCapture;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.TestRelay;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.api.KeyValueEntry;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The service against nats-server with user/password, with a token, with an NKey seed file, and with mutual TLS
 * (certificates made here with openssl): posts land; wrong credentials stop start-up with a clear message, and no secret reaches a log
 * line.
 */
class NatsSecurityTest {

    private static final String PASSWORD = "pw-9f3k-secret";
    private static final String TOKEN = "tok-77x-secret";
    private static Corpus corpus;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void corpus() {
        corpus = FrameCorpus.synthetic(200, 1_000, 3);
    }

    @Test
    void userAndPassword() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(dir("userpass"), "--user", "ingest", "--pass", PASSWORD);
             LogCapture logs = LogCapture.start()) {
            Properties p = properties(nats.url());
            p.setProperty("nats.user", "ingest");
            p.setProperty("nats.password", PASSWORD);
            assertIngests(p, new NatsAuth("ingest", PASSWORD, "", "", "", "", "", ""), nats.url());
            assertNoSecretIn(logs);
        }
    }

    @Test
    void token() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(dir("token"), "--auth", TOKEN);
             LogCapture logs = LogCapture.start()) {
            Properties p = properties(nats.url());
            p.setProperty("nats.token", TOKEN);
            assertIngests(p, new NatsAuth("", "", TOKEN, "", "", "", "", ""), nats.url());
            assertNoSecretIn(logs);
        }
    }

    @Test
    void nkeySeedFile() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        Path seed = tmp.resolve("user.nk");
        Files.writeString(seed, new String(user.getSeed()) + "\n");
        Path conf = tmp.resolve("nkey.conf");
        Files.writeString(conf, "authorization { users = [ { nkey: \"" + new String(user.getPublicKey()) + "\" } ] }\n");
        try (NatsServerProcess nats = NatsServerProcess.start(dir("nkey"), "-c", conf.toString());
             LogCapture logs = LogCapture.start()) {
            Properties p = properties(nats.url());
            p.setProperty("nats.nkey-seed-file", seed.toString());
            assertIngests(p, new NatsAuth("", "", "", "", seed.toString(), "", "", ""), nats.url());
            String secret = new String(user.getSeed());
            for (String line : logs.lines()) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }

    @Test
    void mutualTls() throws Exception {
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        makeCertificates(certs);
        try (NatsServerProcess nats = NatsServerProcess.start(dir("tls"), "--tls",
                "--tlscert", certs.resolve("server.pem").toString(), "--tlskey", certs.resolve("server.key").toString(),
                "--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString())) {
            String url = nats.url().replace("nats://", "tls://");
            NatsAuth auth = new NatsAuth("", "", "", "", "", certs.resolve("ca.pem").toString(),
                    certs.resolve("client.pem").toString(), certs.resolve("client.key").toString());
            Properties p = properties(url);
            p.setProperty("nats.tls-ca", auth.tlsCa());
            p.setProperty("nats.tls-cert", auth.tlsCert());
            p.setProperty("nats.tls-key", auth.tlsKey());
            assertIngests(p, auth, url);
        }
    }

    @Test
    void aWrongPasswordStopsStartUpWithAClearMessageAndNoSecret() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(dir("wrong"), "--user", "ingest", "--pass", PASSWORD);
             LogCapture logs = LogCapture.start()) {
            String wrong = "wrong-" + PASSWORD;
            Properties p = properties(nats.url().replace("nats://", "nats://ingest:" + wrong + "@"));
            Main main = new Main(Application.class);
            main.setOverrideProperties(p);
            Throwable failure = catchThrowable(main::start);
            stopQuietly(main);
            assertThat(failure).isNotNull();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains("refused our credentials").contains("NATS_PASSWORD")
                    .doesNotContain(wrong);
            for (String line : logs.lines()) {
                assertThat(line).doesNotContain(wrong);
            }
        }
    }

    private static Path dir(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static Properties properties(String natsUrl) {
        Properties p = new Properties();
        p.setProperty("nats.url", natsUrl);
        p.setProperty("health.host", "127.0.0.1");
        p.setProperty("health.port", Integer.toString(FreePorts.next()));
        p.setProperty("batch.timeout", "200");
        return p;
    }

    /** Runs the service against a relay with the corpus until the cursor is stored, then checks the stream. */
    private static void assertIngests(Properties p, NatsAuth auth, String natsUrl) throws Exception {
        try (TestRelay relay = TestRelay.start(corpus.frames());
             Connection client = NatsConnector.connect(natsUrl, "test-client", auth)) {
            p.setProperty("firehose.url", relay.url());
            Main main = new Main(Application.class);
            main.setOverrideProperties(p);
            main.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> storedCursor(client) == corpus.lastSeq());
                long expected = ExpectedPosts.acceptedByDefaultFilter(corpus.posts()).size();
                assertThat(client.jetStreamManagement().getStreamInfo("bluesky-posts").getStreamState().getMsgCount())
                        .isEqualTo(expected);
            } finally {
                stopQuietly(main);
            }
        }
    }

    private static long storedCursor(Connection client) {
        try {
            KeyValueEntry entry = client.keyValue("firehose-state").get("nats-firehose-ingest");
            return entry == null ? -1 : Long.parseLong(new String(entry.getValue(), StandardCharsets.US_ASCII));
        } catch (Exception e) {
            return -1;
        }
    }

    private static void assertNoSecretIn(LogCapture logs) {
        List<String> lines = logs.lines();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(line).doesNotContain(PASSWORD).doesNotContain(TOKEN);
        }
    }

    private static void stopQuietly(Main main) {
        try {
            main.stop();
        } catch (RuntimeException ignored) {
            // it did not start
        }
    }

    /** A CA, a server certificate for 127.0.0.1 and a client certificate, with openssl (PKCS#8 keys). */
    private static void makeCertificates(Path dir) throws Exception {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "1", "-subj", "/CN=test-ca");
        for (String who : List.of("server", "client")) {
            run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + who);
            run(dir, "openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", who + ".pem", "-days", "1", "-extfile", who + ".ext");
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
