package dev.firehose.ingest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictDecompress;
import dev.firehose.ingest.jetstream.JetstreamDictionary;

/**
 * A {@link JetstreamEventFile} to replay (the replay benchmark): its messages as events {@link BulkRelay#jetstream}
 * (or {@link TestJetstream}) serves as they are (a file of zstd frames to a {@code compress=true} connection, a JSON file to a plain one), and what the
 * service should publish from them, read with plain Jackson (zstd-jni inflates), not the production codec.
 */
public final class JetstreamReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean compressed;
    private final List<JetstreamWireEvent> events;
    private final int acceptedPosts;

    private JetstreamReplay(boolean compressed, List<JetstreamWireEvent> events, int acceptedPosts) {
        this.compressed = compressed;
        this.events = events;
        this.acceptedPosts = acceptedPosts;
    }

    public static JetstreamReplay read(Path file) {
        return read(file, Integer.MAX_VALUE);
    }

    /** The first {@code limit} events of {@code file}. */
    public static JetstreamReplay read(Path file, int limit) {
        JetstreamEventFile.Contents contents = JetstreamEventFile.read(file);
        List<JetstreamEventFile.Entry> entries = contents.entries().subList(0,
                Math.min(contents.entries().size(), limit));
        List<JetstreamWireEvent> events = new ArrayList<>(entries.size());
        int accepted = 0;
        try (ZstdDecompressCtx inflater = new ZstdDecompressCtx()) {
            inflater.loadDict(new ZstdDictDecompress(JetstreamDictionary.bundledBytes()));
            for (JetstreamEventFile.Entry entry : entries) {
                byte[] message = entry.message();
                // no kind or collection: every event passes the server's wantedCollections, as the file was made for
                events.add(new JetstreamWireEvent(entry.timeUs(), null, null, null, null, null,
                        contents.zstd() ? null : message, contents.zstd() ? message : null));
                byte[] json = contents.zstd()
                        ? inflater.decompress(message, (int) Zstd.getFrameContentSize(message)) : message;
                if (acceptedPostCreate(JSON.readTree(json))) {
                    accepted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new JetstreamReplay(contents.zstd(), List.copyOf(events), accepted);
    }

    private static boolean acceptedPostCreate(JsonNode event) {
        JsonNode commit = event.path("commit");
        return "commit".equals(event.path("kind").asText()) && "create".equals(commit.path("operation").asText())
                && RepoRecords.POST.equals(commit.path("collection").asText())
                && ExpectedPosts.defaultFilterKeeps(commit.path("record").path("text").textValue());
    }

    /** True for zstd frames: the service must read them with {@code JETSTREAM_COMPRESS=true}. */
    public boolean compressed() {
        return compressed;
    }

    public List<JetstreamWireEvent> events() {
        return events;
    }

    public long lastTimeUs() {
        return events.get(events.size() - 1).timeUs();
    }

    /** The post creates the service's default filter accepts. */
    public int postsAcceptedByDefaultFilter() {
        return acceptedPosts;
    }
}
