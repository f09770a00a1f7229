package dev.firehose.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import dev.firehose.ingest.testsupport.FrameCorpus;
import dev.firehose.ingest.testsupport.FreePorts;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.PackagedService;
import dev.firehose.ingest.testsupport.TestRelay;
import io.nats.client.NKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 6 and issue 13 item 4, tried as an operator would: the packaged service at {@code LOG_LEVEL=TRACE}
 * with NATS credentials of every kind (user-info in {@code NATS_URL}, {@code NATS_USER}/{@code NATS_PASSWORD},
 * {@code NATS_TOKEN}, a .creds file, an NKey seed file; random each run), its whole stdout and stderr captured. No
 * secret, as written or URL-encoded, may appear in an output line or in the answers of {@code /health},
 * {@code /ready}, {@code /health/detailed}, {@code /metrics} and Camel's own health endpoint (every check, with its
 * details):
 * <ul>
 * <li>NATS unreachable (jnats' messages then hold the URL with its user-info), JSON lines, a few retry rounds;</li>
 * <li>connected to a nats-server that requires a password, so connect, stream and bucket set-up, publishing and
 * the shutdown are logged too, console lines;</li>
 * <li>all kinds at once, which start-up refuses (a token and a user do not go together).</li>
 * </ul>
 */
class SecretsNeverLoggedIT {

    /** The most one run may take from start to the checks (it takes 5-20 s). */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(50);
    private static final String CAMEL_HEALTH = "/observe/health?exposureLevel=full&data=true";
    private static final List<String> ENDPOINTS = List.of("/health", "/ready", "/health/detailed", "/metrics",
            CAMEL_HEALTH);

    @TempDir
    Path tmp;

    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int healthPort = FreePorts.next();
    private PackagedService service;
    private long deadline;
    private NatsServerProcess nats;
    private TestRelay relay;

    /** One run's credentials, random; with '!' and '~', so that their URL-encoded forms differ. */
    private final String urlPassword = secret("url");
    private final String password = secret("pw");
    private final String token = secret("tok");
    private final String seed = newSeed();
    private final String credsSeed = newSeed();
    private final String jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ." + secret("claims") + ".c2ln";

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void natsUnreachableAtTraceNoSecretInJsonLinesOrEndpoints() throws Exception {
        int closedPort = FreePorts.next();
        service = service("json", Map.of(
                "NATS_URL", "nats://ingest:" + urlPassword + "@127.0.0.1:" + closedPort,
                "NATS_TOKEN", token,
                "NATS_CREDS", credsFile().toString(),
                "NATS_NKEY_SEED_FILE", seedFile().toString(),
                "FIREHOSE_URL", "ws://127.0.0.1:" + FreePorts.next() + TestRelay.PATH));
        service.start();
        deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        awaitUntil(() -> answers("/health"), "the HTTP port answers");
        awaitUntil(() -> count(service.log(), "retrying in") >= 3, "three NATS retry rounds");
        Map<String, String> responses = fetchEndpoints();
        service.terminate(Duration.ofSeconds(15));

        String log = service.log();
        assertNoSecretIn(log, responses);
        // masked, not merely absent: the URL was logged and served, with its user-info as ***
        assertThat(log).contains("nats://***@127.0.0.1:" + closedPort).contains("\"level\":\"TRACE\"");
        assertThat(responses.get("/ready")).contains("NATS not reachable").contains("nats://***@127.0.0.1:");
        assertThat(responses.get("/health/detailed")).contains("nats://***@127.0.0.1:");
        assertThat(responses.get(CAMEL_HEALTH)).contains("NATS not reachable").contains("***@127.0.0.1:");
    }

    @Test
    void connectedToAPasswordServerAtTraceNoSecretInConsoleLinesOrEndpoints() throws Exception {
        Path conf = tmp.resolve("auth.conf");
        Files.writeString(conf, "authorization { users = [\n"
                + "  { user: \"ingest\", password: \"" + urlPassword + "\" }\n"
                + "  { user: \"svc\", password: \"" + password + "\" }\n] }\n");
        nats = NatsServerProcess.start(tmp.resolve("nats"), "-c", conf.toString());
        relay = TestRelay.start(FrameCorpus.synthetic(200, 5_000, 11).frames());
        service = service("console", Map.of(
                "NATS_URL", "nats://ingest:" + urlPassword + "@127.0.0.1:" + nats.port(),
                "NATS_USER", "svc",
                "NATS_PASSWORD", password,
                "NATS_NKEY_SEED_FILE", seedFile().toString(),
                "FIREHOSE_URL", relay.url()));
        service.start();
        deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        awaitUntil(() -> relay.framesSent() == relay.frameCount() && status("/ready") == 200,
                "ready, with every relay frame sent");
        awaitUntil(() -> service.log().contains("Stored cursor"), "a cursor stored in the bucket");
        Map<String, String> responses = fetchEndpoints();
        service.terminate(Duration.ofSeconds(15));

        String log = service.log();
        assertNoSecretIn(log, responses);
        assertThat(log).contains("NATS connected: nats://***@127.0.0.1:" + nats.port()).contains(" TRACE ")
                .contains("on shutdown");
        assertThat(responses.get("/ready")).contains("\"ready\":true");
    }

    /** NATS takes a token or a user, not both: start-up stops, and what it logs on the way holds no secret. */
    @Test
    void aRefusedStartUpAtTraceLogsNoSecret() throws Exception {
        service = service("json", Map.of(
                "NATS_URL", "nats://ingest:" + urlPassword + "@127.0.0.1:" + FreePorts.next(),
                "NATS_USER", "svc",
                "NATS_PASSWORD", password,
                "NATS_TOKEN", token,
                "NATS_NKEY_SEED_FILE", seedFile().toString(),
                "FIREHOSE_URL", "ws://127.0.0.1:" + FreePorts.next() + TestRelay.PATH));
        service.start();
        assertThat(service.process().waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the service exits")
                .isTrue();

        String log = service.log();
        assertThat(service.process().exitValue()).isNotZero();
        // the exception that ends main went through log4j (masked), not the JVM's raw stderr printer
        assertThat(log).contains("NATS_TOKEN and NATS_USER are both set").contains("Uncaught exception in thread main")
                .doesNotContain("Exception in thread \"main\"");
        assertNoSecretIn(log, Map.of());
    }

    @Test
    void thePackagedJarCarriesThePluginDescriptor() throws IOException {
        try (JarFile jar = new JarFile("target/nats-firehose-ingest.jar")) {
            ZipEntry entry = jar.getEntry("META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat");
            assertThat(entry).as("Log4j2Plugins.dat in the jar").isNotNull();
            String descriptor = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(descriptor).contains("dev.firehose.ingest.logging.MaskSecretsPolicy");
        }
    }

    private PackagedService service(String logFormat, Map<String, String> credentials) {
        return new PackagedService(PackagedService.currentProject(), tmp.resolve("service.log"))
                .jvmOptions(List.of("-Xmx192m"))
                .env(Map.of(
                        "LOG_LEVEL", "TRACE",
                        "LOG_FORMAT", logFormat,
                        "HEALTH_CHECK_HOST", "127.0.0.1",
                        "HEALTH_CHECK_PORT", Integer.toString(healthPort),
                        "BATCH_TIMEOUT_MS", "200",
                        "CURSOR_SAVE_INTERVAL", "50"))
                .env(credentials);
    }

    /** An NKey seed file, as {@code nsc}/{@code nk} write one. */
    private Path seedFile() throws Exception {
        return Files.writeString(tmp.resolve("user.nk"), seed + "\n");
    }

    /** A .creds file: a user JWT (made up: it is never checked, the server is not reached) and a seed. */
    private Path credsFile() throws Exception {
        return Files.writeString(tmp.resolve("user.creds"), "-----BEGIN NATS USER JWT-----\n" + jwt
                + "\n------END NATS USER JWT------\n\n************************* IMPORTANT *************************\n"
                + "NKEYs are sensitive and should be treated as secrets.\n\n-----BEGIN USER NKEY SEED-----\n"
                + credsSeed + "\n------END USER NKEY SEED------\n");
    }

    private void assertNoSecretIn(String log, Map<String, String> responses) {
        assertThat(log).as("the service logged").isNotBlank();
        for (String secret : forms(urlPassword, password, token, seed, credsSeed, jwt)) {
            if (log.contains(secret)) {
                assertThat(log.lines().filter(line -> line.contains(secret)).toList()).as("lines with a secret")
                        .isEmpty();
            }
            responses.forEach((path, body) -> assertThat(body).as(path).doesNotContain(secret));
        }
    }

    /** Each secret as written, URL-encoded (form and percent style, either hex case) and the seed. */
    private static Set<String> forms(String... secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
            String lowerHex = Pattern.compile("%[0-9A-F]{2}").matcher(encoded)
                    .replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
            forms.addAll(List.of(secret, encoded, encoded.replace("+", "%20"), lowerHex));
        }
        return forms;
    }

    private Map<String, String> fetchEndpoints() throws Exception {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : ENDPOINTS) {
            HttpResponse<String> response = get(path);
            bodies.put(path, response.body());
        }
        assertThat(bodies.get("/metrics")).contains("jvm_memory_used_bytes");
        return bodies;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String path) {
        try {
            return get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private boolean answers(String path) {
        return status(path) > 0;
    }

    private static long count(String text, String what) {
        return text.lines().filter(line -> line.contains(what)).count();
    }

    private void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (!service.isAlive()) {
                throw new AssertionError("the service exited before " + what + "; log tail:\n" + service.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; log tail:\n" + service.logTail(40));
            }
            Thread.sleep(100);
        }
    }

    private String newSeed() {
        try {
            return new String(NKey.createUser(random).getSeed());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random secret with characters that URL-encoding changes. */
    private String secret(String kind) {
        StringBuilder out = new StringBuilder(kind).append('!');
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        for (int i = 0; i < 20; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.append('~').toString();
    }
}
