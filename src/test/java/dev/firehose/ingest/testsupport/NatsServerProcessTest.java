package dev.firehose.ingest.testsupport;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NatsServerProcessTest {

    @TempDir
    Path store;

    @Test
    void jetStreamPublishIsAckedAndSurvivesStopAndRestart() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(store)) {
            assertThat(nats.url()).isEqualTo("nats://127.0.0.1:" + nats.port());
            try (Connection nc = connect(nats)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder()
                        .name("kit").subjects("kit.>").storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                for (int i = 1; i <= 10; i++) {
                    PublishAck ack = js.publish("kit.posts", ("post " + i).getBytes(StandardCharsets.UTF_8));
                    assertThat(ack.getSeqno()).isEqualTo(i);
                    assertThat(ack.getStream()).isEqualTo("kit");
                }
            }
            int port = nats.port();
            nats.stop();
            assertThat(nats.isRunning()).isFalse();
            assertThat(accepts("127.0.0.1", port)).isFalse();

            nats.restart();
            assertThat(nats.port()).isEqualTo(port);
            try (Connection nc = connect(nats)) {
                assertThat(nc.jetStreamManagement().getStreamInfo("kit").getStreamState().getMsgCount()).isEqualTo(10);
                assertThat(new String(nc.jetStreamManagement().getMessage("kit", 10).getData(), StandardCharsets.UTF_8))
                        .isEqualTo("post 10");
            }
            assertThat(nats.logFile()).isEqualTo(store.resolve("nats-server.log"));
            assertThat(Files.readString(nats.logFile())).contains("Server Exiting");
        }
    }

    @Test
    void listensOn127001Only() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(store)) {
            String portHex = String.format(Locale.ROOT, "%04X", nats.port());
            List<String> listening = listeningSockets(portHex);
            assertThat(listening).containsExactly("0100007F:" + portHex); // 127.0.0.1, no wildcard, no IPv6
            assertThat(accepts("127.0.0.1", nats.port())).isTrue();
            assertThat(accepts("127.0.0.2", nats.port())).isFalse(); // another loopback address: refused
        }
    }

    @Test
    void pausedServerAnswersNothingUntilResumed() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(store);
             Connection nc = connect(nats)) {
            nats.pause();
            assertThatThrownBy(() -> nc.flush(Duration.ofMillis(300))).isInstanceOf(Exception.class);
            nats.resume();
            nc.flush(Duration.ofSeconds(5));
        }
    }

    @Test
    void killThenRestartStillServes() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(store)) {
            nats.kill();
            assertThat(nats.isRunning()).isFalse();
            nats.restart();
            try (Connection nc = connect(nats)) {
                assertThat(nc.jetStreamManagement().getAccountStatistics().getStreams()).isEqualTo(0);
            }
        }
    }

    @Test
    void withoutJetStreamTheJetStreamApiFails() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.startWithoutJetStream(store);
             Connection nc = connect(nats)) {
            assertThatThrownBy(() -> nc.jetStreamManagement().getAccountStatistics())
                    .isInstanceOf(Exception.class);
        }
    }

    private static Connection connect(NatsServerProcess nats) throws Exception {
        return Nats.connect(new Options.Builder().server(nats.url())
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0).build());
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Local addresses of LISTEN (state 0A) sockets on the port, from /proc/net/tcp and tcp6. */
    private static List<String> listeningSockets(String portHex) throws IOException {
        return java.util.stream.Stream.of("/proc/net/tcp", "/proc/net/tcp6")
                .map(Path::of)
                .filter(Files::exists)
                .flatMap(p -> {
                    try {
                        return Files.readAllLines(p).stream().skip(1);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f[1].endsWith(":" + portHex) && f[3].equals("0A"))
                .map(f -> f[1])
                .toList();
    }
}
