package dev.firehose.ingest.bench;

// Usage (harness check; run from the project root after bench/replay.sh has built target/):
//   bench/replay.sh 20000 --app-main dev.firehose.ingest.bench.BaselineIngest \
//       --app-classpath "target/test-classes:$(cat target/test-classpath.txt)"
//
// A deliberately naive ingest (JDK websocket + jnats, test-side decoders, one synchronous publish
// per post) that honours the same env contract as the application. It is NOT the product: it exists
// to check ReplayBenchmark end to end while the application is being written, and as a floor to
// compare against. Env: FIREHOSE_URL, NATS_URL, NATS_STREAM, NATS_SUBJECT, NATS_KV_BUCKET,
// SERVICE_NAME, CURSOR_SAVE_INTERVAL (ms between cursor saves).

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.AtJson;
import dev.firehose.ingest.testsupport.ExpectedPost;
import dev.firehose.ingest.testsupport.ExpectedPosts;
import dev.firehose.ingest.testsupport.RelayFrame;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public final class BaselineIngest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BaselineIngest() {
    }

    public static void main(String[] args) throws Exception {
        String stream = env("NATS_STREAM");
        String subject = env("NATS_SUBJECT");
        String bucket = env("NATS_KV_BUCKET");
        String service = env("SERVICE_NAME");
        long saveIntervalMs = Long.parseLong(System.getenv().getOrDefault("CURSOR_SAVE_INTERVAL", "1000"));

        Connection nc = Nats.connect(env("NATS_URL"));
        nc.jetStreamManagement().addStream(StreamConfiguration.builder()
                .name(stream).subjects(subject).storageType(StorageType.File).build());
        nc.keyValueManagement().create(KeyValueConfiguration.builder().name(bucket).build());
        KeyValue kv = nc.keyValue(bucket);
        JetStream js = nc.jetStream();

        AtomicLong handledSeq = new AtomicLong(-1);
        ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor();
        long[] saved = {-1};
        saver.scheduleAtFixedRate(() -> {
            long seq = handledSeq.get();
            if (seq != saved[0]) {
                try {
                    kv.put(service, Long.toString(seq));
                    saved[0] = seq;
                } catch (Exception e) {
                    System.err.println("cursor save failed: " + e);
                }
            }
        }, saveIntervalMs, saveIntervalMs, TimeUnit.MILLISECONDS);

        CountDownLatch closed = new CountDownLatch(1);
        HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(env("FIREHOSE_URL")), new WebSocket.Listener() {
                    private ByteArrayOutputStream partial = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                        byte[] chunk = new byte[data.remaining()];
                        data.get(chunk);
                        partial.writeBytes(chunk);
                        if (last) {
                            handle(partial.toByteArray());
                            partial = new ByteArrayOutputStream();
                        }
                        ws.request(1);
                        return null;
                    }

                    private void handle(byte[] frame) {
                        List<JsonNode> parts = AtJson.decodeSequence(frame);
                        long seq = parts.get(1).path("seq").asLong();
                        try {
                            for (ExpectedPost post : ExpectedPosts.fromFrames(List.of(new RelayFrame(seq, frame)))) {
                                ObjectNode message = JSON.createObjectNode()
                                        .put("uri", post.uri()).put("cid", post.cid()).put("author", post.author())
                                        .put("text", post.text()).put("createdAt", post.createdAt());
                                js.publish(subject, JSON.writeValueAsBytes(message));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        handledSeq.set(seq);
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        closed.countDown();
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        error.printStackTrace();
                        closed.countDown();
                    }
                }).join();
        closed.await();
        saver.shutdownNow();
        nc.close();
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

}
