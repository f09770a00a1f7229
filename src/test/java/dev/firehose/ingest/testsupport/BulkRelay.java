package dev.firehose.ingest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A websocket relay for benchmarks: the same protocol as {@link TestRelay} ({@code subscribeRepos} on 127.0.0.1,
 * {@code ?cursor=N} gets every frame with seq &gt; N, one binary message per frame, PINGs answered), or, made with
 * {@link #jetstream}, as {@link TestJetstream} serves a file of events ({@code ?cursor=T} gets every event with
 * {@code time_us >= T}, zstd events as binary messages, JSON ones as text; the query's {@code wantedCollections} and
 * {@code compress} are not read: the file was made for them), written to cost as little CPU as a production relay, so that the service's own cost can be measured beside it on the same cores.
 * Frames are framed once, in advance, and written in large batches on a blocking socket (a relay streaming a backlog
 * writes whole buffers, not one syscall per frame); with a rate, due frames are written every millisecond.
 *
 * <p>One connection at a time, frames held until {@link #release()}; nothing else (no faults): {@link TestRelay} is
 * the relay for functional tests.
 */
public final class BulkRelay implements AutoCloseable {

    private static final Pattern REQUEST_LINE = Pattern.compile("GET (\\S+) HTTP/1\\.1");
    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");
    private static final Pattern CURSOR = Pattern.compile("[?&]cursor=(\\d+)");
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int BATCH_BYTES = 256 * 1024;

    private final ServerSocketChannel server;
    /** Each message's payload (the frame itself: no second copy of a large replay) and its position. */
    private final byte[][] payloads;
    private final long[] positions;
    /** Jetstream's cursor takes the event at it ({@code >=}), the relay's starts after it ({@code >}). */
    private final boolean inclusiveCursor;
    /** Each message's websocket header. */
    private final byte[][] headers;
    private final int rate;
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<String> requestedCursors = new CopyOnWriteArrayList<>();
    private final AtomicLong framesSent = new AtomicLong();
    private volatile long firstFrameSentNanos;
    private volatile long lastFrameSentNanos;
    private volatile boolean closed;

    private BulkRelay(ServerSocketChannel server, byte[][] payloads, long[] positions, boolean text,
                      boolean inclusiveCursor, int rate) {
        this.server = server;
        this.payloads = payloads;
        this.positions = positions;
        this.inclusiveCursor = inclusiveCursor;
        this.rate = rate;
        this.headers = new byte[payloads.length][];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = header(text ? 0x1 : 0x2, payloads[i].length);
        }
    }

    /** Serves relay {@code frames}; {@code framesPerSecond} 0 = as fast as the client reads. */
    public static BulkRelay start(List<RelayFrame> frames, int framesPerSecond) {
        byte[][] payloads = new byte[frames.size()][];
        long[] positions = new long[frames.size()];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = frames.get(i).bytes();
            positions[i] = frames.get(i).seq();
        }
        return start(payloads, positions, false, false, framesPerSecond);
    }

    /**
     * Serves Jetstream {@code events} as they are ({@link JetstreamReplay}): binary zstd messages when
     * {@code compressed}, else text JSON; {@code eventsPerSecond} 0 = as fast as the client reads.
     */
    public static BulkRelay jetstream(List<JetstreamWireEvent> events, boolean compressed, int eventsPerSecond) {
        byte[][] payloads = new byte[events.size()][];
        long[] positions = new long[events.size()];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = events.get(i).message(compressed);
            positions[i] = events.get(i).timeUs();
        }
        return start(payloads, positions, !compressed, true, eventsPerSecond);
    }

    private static BulkRelay start(byte[][] payloads, long[] positions, boolean text, boolean inclusiveCursor,
                                   int rate) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            BulkRelay relay = new BulkRelay(server, payloads, positions, text, inclusiveCursor, rate);
            Thread acceptor = new Thread(relay::serve, "bulk-relay");
            acceptor.setDaemon(true);
            acceptor.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        String path = inclusiveCursor ? TestJetstream.PATH : TestRelay.PATH;
        return "ws://127.0.0.1:" + server.socket().getLocalPort() + path;
    }

    /** Frames flow from now on (connections made before wait). */
    public void release() {
        released.countDown();
    }

    public List<String> requestedCursors() {
        return List.copyOf(requestedCursors);
    }

    public int connectionCount() {
        return requestedCursors.size();
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long firstFrameSentNanos() {
        return firstFrameSentNanos;
    }

    public long lastFrameSentNanos() {
        return lastFrameSentNanos;
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel client = server.accept()) {
                client.socket().setTcpNoDelay(true);
                String request = readRequest(client);
                Matcher line = REQUEST_LINE.matcher(request);
                Matcher key = KEY.matcher(request);
                if (!line.find() || !key.find()) {
                    continue;
                }
                Matcher cursor = CURSOR.matcher(line.group(1));
                Long after = cursor.find() ? Long.valueOf(cursor.group(1)) : null;
                requestedCursors.add(after == null ? null : after.toString());
                write(client, ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept(key.group(1)) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                Thread reader = new Thread(() -> answerPings(client), "bulk-relay-reader");
                reader.setDaemon(true);
                reader.start();
                released.await();
                stream(client, after);
                reader.join(); // until the client goes
            } catch (IOException e) {
                // the client went away; serve the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stream(SocketChannel client, Long after) throws IOException, InterruptedException {
        int i = 0;
        while (i < headers.length && after != null
                && (inclusiveCursor ? positions[i] < after : positions[i] <= after)) {
            i++;
        }
        ByteBuffer batch = ByteBuffer.allocateDirect(BATCH_BYTES);
        long start = System.nanoTime();
        long sent = 0;
        while (i < headers.length && !closed) {
            long due = rate <= 0 ? Long.MAX_VALUE : (System.nanoTime() - start) * rate / 1_000_000_000L + 1;
            while (i < headers.length && sent < due) {
                byte[] payload = payloads[i];
                if (batch.remaining() < headers[i].length + payload.length) {
                    if (batch.position() > 0) {
                        break; // full: write it, then this frame
                    }
                    write(client, ByteBuffer.wrap(headers[i])); // larger than a batch: on its own
                    write(client, ByteBuffer.wrap(payload));
                } else {
                    batch.put(headers[i]).put(payload);
                }
                i++;
                sent++;
            }
            long now = flush(client, batch);
            if (firstFrameSentNanos == 0) {
                firstFrameSentNanos = now;
            }
            lastFrameSentNanos = now;
            framesSent.set(sent);
            if (rate > 0 && sent >= due) {
                Thread.sleep(1);
            }
        }
    }

    private long flush(SocketChannel client, ByteBuffer batch) throws IOException {
        batch.flip();
        write(client, batch);
        batch.clear();
        return System.nanoTime();
    }

    /** Reads the client's frames: answers PINGs, ends at a close or EOF. Client frames are masked (RFC 6455). */
    private void answerPings(SocketChannel client) {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        try {
            while (client.read(in) >= 0) {
                in.flip();
                while (in.remaining() >= 2) {
                    in.mark();
                    int b0 = in.get() & 0xff;
                    int b1 = in.get() & 0xff;
                    long length = b1 & 0x7f;
                    int extra = length == 126 ? 2 : length == 127 ? 8 : 0;
                    if (in.remaining() < extra + 4) {
                        in.reset();
                        break;
                    }
                    length = extra == 2 ? in.getShort() & 0xffff : extra == 8 ? in.getLong() : length;
                    byte[] mask = new byte[4];
                    in.get(mask);
                    if (in.remaining() < length) {
                        in.reset();
                        break;
                    }
                    byte[] payload = new byte[(int) length];
                    in.get(payload);
                    for (int j = 0; j < payload.length; j++) {
                        payload[j] ^= mask[j % 4];
                    }
                    int opcode = b0 & 0x0f;
                    if (opcode == 0x9) {
                        write(client, ByteBuffer.wrap(frame(0xA, payload)));
                    } else if (opcode == 0x8) {
                        return;
                    }
                }
                in.compact();
            }
        } catch (IOException e) {
            // gone
        }
    }

    /** Writes whole buffers; the writer and the PONGs share the socket, so one at a time. */
    private synchronized void write(SocketChannel client, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            client.write(data);
        }
    }

    private static String readRequest(SocketChannel client) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(8192);
        StringBuilder request = new StringBuilder();
        while (request.indexOf("\r\n\r\n") < 0 && client.read(in) > 0) {
            in.flip();
            request.append(StandardCharsets.US_ASCII.decode(in));
            in.clear();
        }
        return request.toString();
    }

    /** The header of a final, unmasked server frame of {@code length} bytes (RFC 6455 section 5.2). */
    private static byte[] header(int opcode, int length) {
        ByteBuffer out = ByteBuffer.allocate(length < 126 ? 2 : length <= 0xffff ? 4 : 10);
        out.put((byte) (0x80 | opcode));
        if (length < 126) {
            out.put((byte) length);
        } else if (length <= 0xffff) {
            out.put((byte) 126).putShort((short) length);
        } else {
            out.put((byte) 127).putLong(length);
        }
        return out.array();
    }

    private static byte[] frame(int opcode, byte[] payload) {
        byte[] header = header(opcode, payload.length);
        return ByteBuffer.allocate(header.length + payload.length).put(header).put(payload).array();
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        released.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
