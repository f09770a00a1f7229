package dev.firehose.ingest.testsupport;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Deterministic generator of Jetstream events from the real repo records ({@link RepoRecords}: each record block
 * decoded to AT-JSON with {@link AtJson}, its CID the block's), in a {@link JetstreamMix}: every block of 100 events
 * holds exactly the mix's counts, shuffled with the seed. {@code time_us} strictly increases, by the mix's mean gap
 * with ±50 % jitter. Authors are the fixture repos' DIDs and 1,000 made-up ones; rkeys and revs are TIDs.
 * Events are written as Jetstream writes them (field order {@code did, time_us, kind, commit|identity|account},
 * {@link GoJson}) and each is also compressed with Jetstream's dictionary.
 */
final class SyntheticJetstream {

    /** 2025-04-16T21:30:00Z, as the relay corpus. */
    static final long DEFAULT_FIRST_TIME_US = Instant.parse("2025-04-16T21:30:00Z").toEpochMilli() * 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter MILLIS = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int SYNTHETIC_AUTHORS = 1000;
    private static final int DELETE_CANDIDATES = 10_000;
    /** The relay seq in identity and account objects: the firehose's, around spring 2025. */
    private static final long FIRST_RELAY_SEQ = 8_000_000_000L;

    private record Created(String did, String collection, String rkey) {
    }

    private final RepoRecords records;
    private final JetstreamMix mix;
    private final Random random;
    private final Tids tids;
    private final List<String> authors = new ArrayList<>();
    private final List<Created> deletable = new ArrayList<>();
    private final JetstreamCompressor compressor = JetstreamCompressor.jetstream();
    private long relaySeq = FIRST_RELAY_SEQ;

    private final long firstTimeUs;

    SyntheticJetstream(RepoRecords records, JetstreamMix mix, long seed, long firstTimeUs) {
        this.records = records;
        this.mix = mix;
        this.random = new Random(seed);
        this.firstTimeUs = firstTimeUs;
        // rkeys and revs from the stream's own clock, so a later corpus (live events) makes new ones
        this.tids = new Tids(firstTimeUs, (int) (seed & 0x3FF));
        authors.addAll(records.dids());
        authors.addAll(SyntheticDids.plc(seed, SYNTHETIC_AUTHORS));
    }

    JetstreamCorpus generate(int count) {
        List<JetstreamWireEvent> events = new ArrayList<>(count);
        List<ExpectedJetstreamPost> posts = new ArrayList<>();
        List<JetstreamMix.Event> schedule = List.of();
        long timeUs = firstTimeUs;
        for (int i = 0; i < count; i++) {
            if (i % 100 == 0) {
                schedule = shuffledHundred();
            }
            if (i > 0) {
                timeUs += mix.meanGapMicros / 2 + 1 + (long) (random.nextDouble() * mix.meanGapMicros);
            }
            String did = authors.get(random.nextInt(authors.size()));
            events.add(switch (schedule.get(i % 100)) {
                case POST -> {
                    RepoRecords.RecordBlock post = pick(records.posts());
                    JetstreamWireEvent event = create(timeUs, did, post);
                    posts.add(ExpectedJetstreamPost.of(did, event.rkey(), post.block(), timeUs));
                    yield event;
                }
                case LIKE -> create(timeUs, did, pick(records.likes()));
                case REPOST -> create(timeUs, did, pick(records.reposts()));
                case FOLLOW -> create(timeUs, did, pick(records.follows()));
                case PROFILE_UPDATE -> commit(timeUs, did, "update", RepoRecords.PROFILE, "self", pick(records.profiles()));
                case DELETE -> delete(timeUs);
                case IDENTITY -> identity(timeUs, did);
                case ACCOUNT -> account(timeUs, did);
            });
        }
        return new JetstreamCorpus(mix, List.copyOf(events), List.copyOf(posts));
    }

    private List<JetstreamMix.Event> shuffledHundred() {
        List<JetstreamMix.Event> hundred = new ArrayList<>(100);
        for (JetstreamMix.Event event : JetstreamMix.Event.values()) {
            hundred.addAll(Collections.nCopies(mix.perHundred.getOrDefault(event, 0), event));
        }
        Collections.shuffle(hundred, random);
        return hundred;
    }

    private RepoRecords.RecordBlock pick(List<RepoRecords.RecordBlock> pool) {
        return pool.get(random.nextInt(pool.size()));
    }

    private JetstreamWireEvent create(long timeUs, String did, RepoRecords.RecordBlock record) {
        String rkey = tids.next();
        if (deletable.size() < DELETE_CANDIDATES
                && (record.collection().equals(RepoRecords.POST) || record.collection().equals(RepoRecords.LIKE))) {
            deletable.add(new Created(did, record.collection(), rkey));
        }
        return commit(timeUs, did, "create", record.collection(), rkey, record);
    }

    /** A delete of an earlier post or like of this stream, or (none left) of a post made before the stream began. */
    private JetstreamWireEvent delete(long timeUs) {
        Created target = deletable.isEmpty()
                ? new Created(authors.get(random.nextInt(authors.size())), RepoRecords.POST, tids.next())
                : deletable.remove(random.nextInt(deletable.size()));
        return commit(timeUs, target.did(), "delete", target.collection(), target.rkey(), null);
    }

    private JetstreamWireEvent commit(long timeUs, String did, String operation, String collection, String rkey,
                                      RepoRecords.RecordBlock record) {
        ObjectNode commit = NODES.objectNode()
                .put("rev", tids.next()).put("operation", operation).put("collection", collection).put("rkey", rkey);
        if (record != null) { // Jetstream sends neither record nor cid for a delete
            commit.set("record", GoJson.sortedKeys(AtJson.decode(record.block().data())));
            commit.put("cid", record.block().cidText());
        }
        ObjectNode event = envelope(did, timeUs, "commit");
        event.set("commit", commit);
        return wire(event, timeUs, did, "commit", operation, collection, rkey);
    }

    private JetstreamWireEvent identity(long timeUs, String did) {
        ObjectNode identity = NODES.objectNode().put("did", did)
                .put("handle", "user" + Math.abs(did.hashCode()) + ".bsky.social")
                .put("seq", relaySeq++).put("time", relayTime(timeUs));
        ObjectNode event = envelope(did, timeUs, "identity");
        event.set("identity", identity);
        return wire(event, timeUs, did, "identity", null, null, null);
    }

    /** Mostly reactivations ({@code active: true}); one in four a deactivation with its status. */
    private JetstreamWireEvent account(long timeUs, String did) {
        ObjectNode account = NODES.objectNode();
        boolean active = random.nextInt(4) != 0;
        account.put("active", active).put("did", did).put("seq", relaySeq++);
        if (!active) {
            account.put("status", "deactivated");
        }
        account.put("time", relayTime(timeUs));
        ObjectNode event = envelope(did, timeUs, "account");
        event.set("account", account);
        return wire(event, timeUs, did, "account", null, null, null);
    }

    private static ObjectNode envelope(String did, long timeUs, String kind) {
        return NODES.objectNode().put("did", did).put("time_us", timeUs).put("kind", kind);
    }

    /** The relay's {@code time} of the event: a little before Jetstream saw it. */
    private static String relayTime(long timeUs) {
        return MILLIS.format(Instant.ofEpochMilli(timeUs / 1000 - 150));
    }

    private JetstreamWireEvent wire(ObjectNode event, long timeUs, String did, String kind, String operation,
                                    String collection, String rkey) {
        byte[] json = GoJson.bytes(event);
        return new JetstreamWireEvent(timeUs, did, kind, operation, collection, rkey, json, compressor.compress(json));
    }
}
