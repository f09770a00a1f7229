package dev.firehose.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.firehose.ingest.config.NatsAuth;
import dev.firehose.ingest.nats.NatsConnector;
import dev.firehose.ingest.testsupport.NatsServerProcess;
import dev.firehose.ingest.testsupport.NatsTrustChain;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code NATS_CREDS}: a .creds file (user JWT + NKey seed, as nsc writes it and NGS hands it out) against a real
 * nats-server in operator mode (JWT authentication: trusted operator, account JWT preloaded with the MEMORY
 * resolver, JetStream allowed by the account's limits). Only the NATS side of the service is used (its
 * {@link NatsConnector}), no Camel: the file a Kubernetes Secret would mount is enough to connect, publish to
 * JetStream with a PubAck, and keep a cursor in KV.
 */
class NatsCredsFileTest {

    @TempDir
    static Path tmp;

    private static NatsTrustChain trust;
    private static NatsServerProcess nats;
    private static Path creds;

    @BeforeAll
    static void operatorModeServer() throws IOException {
        trust = NatsTrustChain.create();
        Path config = trust.writeServerConfig(tmp.resolve("config"));
        nats = NatsServerProcess.start(tmp.resolve("server"), "-c", config.toString());
        creds = Files.writeString(tmp.resolve("ingest.creds"), trust.userCreds("ingest"), StandardCharsets.US_ASCII);
    }

    @AfterAll
    static void stop() {
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void theServerTrustsOnlyItsOperatorAndRefusesAConnectionWithoutCredentials() {
        assertThat(nats.log()).contains("Trusted Operators").contains("test-operator");
        Throwable refused = catchThrowable(() -> connectOnce(null).close());
        assertThat(refused).as("no credentials").isInstanceOf(IOException.class);
        assertThat(messages(refused)).containsIgnoringCase("Authorization Violation");
    }

    @Test
    void jnatsConnectsWithTheCredsFileAndPublishesToJetStream() throws Exception {
        try (Connection connection = connectOnce(Nats.credentials(creds.toString()))) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            JetStreamManagement jsm = connection.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("creds-jnats").subjects("creds.jnats")
                    .storageType(StorageType.File).build());
            PublishAck ack = connection.jetStream().publish("creds.jnats", "one".getBytes(StandardCharsets.UTF_8));
            assertThat(ack.getStream()).isEqualTo("creds-jnats");
            assertThat(ack.getSeqno()).isEqualTo(1);
        }
    }

    /** The path the service takes: NATS_CREDS -> NatsAuth.credsFile -> NatsConnector. */
    @Test
    void theServicesConnectorConnectsWithNatsCredsPublishesAndStoresACursor() throws Exception {
        NatsAuth auth = new NatsAuth("", "", "", creds.toString(), "", "", "", "");
        try (Connection connection = NatsConnector.connect(nats.url(), "creds-file-test", auth)) {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("creds-posts")
                    .subjects("creds.posts").storageType(StorageType.File).build());
            PublishAck ack = connection.jetStream().publish("creds.posts", "post".getBytes(StandardCharsets.UTF_8));
            assertThat(ack.getStream()).isEqualTo("creds-posts");
            assertThat(ack.isDuplicate()).isFalse();

            // the cursor lives in a KV bucket: a JetStream stream of the same account
            connection.keyValueManagement().create(KeyValueConfiguration.builder().name("creds-state")
                    .storageType(StorageType.File).build());
            KeyValue kv = connection.keyValue("creds-state");
            kv.put("nats-firehose-ingest", "42".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(kv.get("nats-firehose-ingest").getValue(), StandardCharsets.US_ASCII))
                    .isEqualTo("42");
        }
    }

    @Test
    void aUserOfAnAccountTheOperatorDidNotIssueIsRefused() throws IOException {
        Path foreign = Files.writeString(tmp.resolve("foreign.creds"), NatsTrustChain.foreignUserCreds("intruder"),
                StandardCharsets.US_ASCII);
        Throwable refused = catchThrowable(() -> connectOnce(Nats.credentials(foreign.toString())).close());
        assertThat(refused).isInstanceOf(IOException.class);
        assertThat(messages(refused)).containsIgnoringCase("Authorization Violation");
    }

    /** One attempt, no reconnects: a refusal ends the call instead of retrying. */
    private static Connection connectOnce(AuthHandler auth) throws IOException, InterruptedException {
        Options.Builder options = Options.builder().server(nats.url()).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5)).errorListener(new io.nats.client.ErrorListener() { });
        if (auth != null) {
            options.authHandler(auth);
        }
        return Nats.connect(options.build());
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
