package dev.firehose.ingest.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firehose.ingest.testsupport.Fixtures;
import dev.firehose.ingest.testsupport.JetstreamCompressor;
import dev.firehose.ingest.testsupport.JetstreamCorpus;
import dev.firehose.ingest.testsupport.JetstreamWireEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.BAD_COMPRESSION;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.BAD_EVENT;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.NOT_JSON;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.TOO_DEEP;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.TOO_LARGE;
import static dev.firehose.ingest.jetstream.MalformedEventException.Reason.UNKNOWN_KIND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every kind of bad message gets its reason (and the time_us when it was read); nothing else escapes. */
class MalformedEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A real post create from the Jetstream fixtures. */
    private static ObjectNode post;
    private static long postTimeUs;
    private static JetstreamDecoder decoder;

    @BeforeAll
    static void load() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.dir().resolve("jetstream").resolve("golden_v1.jsonl"));
        post = (ObjectNode) JSON.readTree(lines.get(1));
        postTimeUs = post.get("time_us").asLong();
        decoder = new JetstreamDecoder();
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @Test
    void notJson() {
        String valid = post.toString();
        for (String bad : List.of("", "   ", "{", "{\"did\":", "nonsense", "{did: 1}", "{\"did\":\"did:x\",}",
                valid.substring(0, valid.length() - 1), valid + "x", valid + "{}", valid + valid,
                "{\"did\":\"did:x\",\"time_us\":01}", "{\"did\":\"did:x\",\"time_us\":NaN}", "{'did':'x'}",
                "{\"did\":\"did:\\x\"}")) {
            assertReason(bad.getBytes(StandardCharsets.UTF_8), false, NOT_JSON);
        }
        byte[] badUtf8 = valid.replace("Try RSV", "Try \u0000RSV").getBytes(StandardCharsets.UTF_8);
        assertReason(badUtf8, false, NOT_JSON); // a raw control character in a string
        byte[] invalid = valid.getBytes(StandardCharsets.UTF_8);
        int at = valid.indexOf("Try RSV");
        invalid[at] = (byte) 0xC3; // a lead byte followed by ASCII
        assertReason(invalid, false, NOT_JSON);
        assertReason(null, false, NOT_JSON);
    }

    @Test
    void notJsonAfterTimeUsReportsIt() {
        String valid = post.toString();
        MalformedEventException e = assertReason(valid.substring(0, valid.indexOf("\"text\"")).getBytes(), false, NOT_JSON);
        assertThat(e.timeUs()).isEqualTo(postTimeUs);
    }

    @Test
    void badEventEnvelope() {
        for (String bad : List.of("[]", "42", "\"event\"", "null", "{}", "[" + post + "]")) {
            assertThat(assertReason(bad.getBytes(), false, BAD_EVENT).timeUs()).isEqualTo(-1);
        }
        Map<String, Consumer<ObjectNode>> noTime = Map.of(
                "no time_us", e -> e.remove("time_us"),
                "time_us a string", e -> e.put("time_us", "1779719009157119"),
                "time_us a float", e -> e.put("time_us", 1.779719009157119e15),
                "time_us negative", e -> e.put("time_us", -1),
                "time_us past year 9999", e -> e.put("time_us", JetstreamTime.MAX_TIME_US + 1),
                "time_us beyond long", e -> e.put("time_us", new java.math.BigInteger("99999999999999999999")),
                "time_us null", e -> e.putNull("time_us"));
        noTime.forEach((what, change) ->
                assertThat(assertReason(mutated(change), false, BAD_EVENT).timeUs()).as(what).isEqualTo(-1));
        Map<String, Consumer<ObjectNode>> withTime = Map.of(
                "no did", e -> e.remove("did"),
                "did a number", e -> e.put("did", 7),
                "did not a DID", e -> e.put("did", "alice.bsky.social"),
                "no kind", e -> e.remove("kind"),
                "kind an object", e -> e.putObject("kind"),
                "kind null", e -> e.putNull("kind"));
        withTime.forEach((what, change) ->
                assertThat(assertReason(mutated(change), false, BAD_EVENT).timeUs()).as(what).isEqualTo(postTimeUs));
    }

    @Test
    void badCommit() {
        Map<String, Consumer<ObjectNode>> changes = new java.util.LinkedHashMap<>();
        changes.put("no commit", e -> e.remove("commit"));
        changes.put("commit null", e -> e.putNull("commit"));
        changes.put("commit an array", e -> e.putArray("commit"));
        changes.put("no operation", e -> commit(e).remove("operation"));
        changes.put("unknown operation", e -> commit(e).put("operation", "upsert"));
        changes.put("operation a number", e -> commit(e).put("operation", 1));
        changes.put("no rev", e -> commit(e).remove("rev"));
        changes.put("empty rev", e -> commit(e).put("rev", ""));
        changes.put("no collection", e -> commit(e).remove("collection"));
        changes.put("collection an array", e -> commit(e).putArray("collection"));
        changes.put("no rkey", e -> commit(e).remove("rkey"));
        changes.put("rkey a boolean", e -> commit(e).put("rkey", true));
        changes.put("create without record", e -> commit(e).remove("record"));
        changes.put("record null", e -> commit(e).putNull("record"));
        changes.put("record a string", e -> commit(e).put("record", "{}"));
        changes.put("record an array", e -> commit(e).putArray("record"));
        changes.put("create without cid", e -> commit(e).remove("cid"));
        changes.put("cid an object", e -> commit(e).putObject("cid"));
        changes.put("update without record", e -> commit(e).put("operation", "update").remove("record"));
        changes.forEach((what, change) ->
                assertThat(assertReason(mutated(change), false, BAD_EVENT).timeUs()).as(what).isEqualTo(postTimeUs));
    }

    @Test
    void badIdentityAndAccount() {
        for (String kind : List.of("identity", "account")) {
            assertReason(mutated(e -> e.put("kind", kind)), false, BAD_EVENT); // no identity/account object
            assertReason(mutated(e -> e.put("kind", kind).put(kind, "x")), false, BAD_EVENT);
            assertReason(mutated(e -> e.put("kind", kind).putArray(kind)), false, BAD_EVENT);
            assertReason(mutated(e -> e.put("kind", kind).putNull(kind)), false, BAD_EVENT);
        }
    }

    @Test
    void duplicateFieldsAnywhereAreRefused() {
        String valid = post.toString();
        for (String bad : List.of(
                valid.replace("{\"did\":", "{\"did\":\"did:plc:other\",\"did\":"),
                valid.replace("\"kind\":\"commit\"", "\"kind\":\"commit\",\"time_us\":1"),
                valid.replace("\"kind\":\"commit\"", "\"kind\":\"commit\",\"kind\":\"identity\""),
                valid.replace("\"rkey\":", "\"rkey\":\"other\",\"rkey\":"),
                valid.replace("\"cid\":\"bafyreicl7", "\"cid\":\"x\",\"cid\":\"bafyreicl7"),
                valid.replace("\"text\":", "\"text\":\"other\",\"text\":"))) {
            assertThat(bad).isNotEqualTo(valid);
            assertReason(bad.getBytes(StandardCharsets.UTF_8), false, BAD_EVENT);
        }
        String identity = "{\"did\":\"did:plc:x\",\"time_us\":9,\"kind\":\"identity\","
                + "\"identity\":{\"did\":\"did:plc:x\",\"seq\":1,\"seq\":2}}";
        assertThat(assertReason(identity.getBytes(), false, BAD_EVENT).timeUs()).isEqualTo(9);
        String twoCommits = valid.substring(0, valid.length() - 1) + ",\"commit\":" + post.get("commit") + "}";
        assertReason(twoCommits.getBytes(StandardCharsets.UTF_8), false, BAD_EVENT);
    }

    @Test
    void unknownKindReportsItsTimeUs() {
        for (String kind : List.of("sync", "commit ", "COMMIT", "", "info")) {
            MalformedEventException e = assertReason(mutated(ev -> ev.put("kind", kind)), false, UNKNOWN_KIND);
            assertThat(e.timeUs()).isEqualTo(postTimeUs);
        }
        // kind before time_us in the message: time_us is still read
        String reordered = "{\"kind\":\"sync\",\"did\":\"did:plc:x\",\"sync\":{\"a\":[1,2]},\"time_us\":12345}";
        assertThat(assertReason(reordered.getBytes(), false, UNKNOWN_KIND).timeUs()).isEqualTo(12345);
    }

    @Test
    void tooDeep() {
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        MalformedEventException inRecord = assertReason(mutated(e -> commit(e).set("record", parse(deep))), false, TOO_DEEP);
        assertThat(inRecord.timeUs()).isEqualTo(postTimeUs);
        String skipped = "{\"did\":\"did:x\",\"time_us\":5,\"kind\":\"x\",\"other\":" + "[".repeat(200) + "]".repeat(200) + "}";
        assertReason(skipped.getBytes(), false, TOO_DEEP); // depth is checked even where nothing is kept
        JetstreamLimits shallow = new JetstreamLimits(1 << 20, 4);
        try (JetstreamDecoder strict = JetstreamDecoder.builder().limits(shallow).build()) {
            byte[] valid = post.toString().getBytes(StandardCharsets.UTF_8); // record.reply.parent: depth 5
            assertThat(catchThrowableOfType(MalformedEventException.class, () -> strict.decode(valid, false)).reason())
                    .isEqualTo(TOO_DEEP);
        }
    }

    @Test
    void tooLargePlainAndCompressed() throws Exception {
        byte[] valid = post.toString().getBytes(StandardCharsets.UTF_8);
        JetstreamLimits small = new JetstreamLimits(valid.length - 1, 128);
        try (JetstreamDecoder strict = JetstreamDecoder.builder().limits(small).build()) {
            assertThat(catchThrowableOfType(MalformedEventException.class, () -> strict.decode(valid, false)).reason())
                    .isEqualTo(TOO_LARGE);
            byte[] sized = JetstreamCompressor.jetstream().compress(valid);
            assertThat(catchThrowableOfType(MalformedEventException.class, () -> strict.decode(sized, true)).reason())
                    .isEqualTo(TOO_LARGE);
            byte[] unsized = JetstreamCompressor.with(JetstreamDictionary.bundledBytes(), false).compress(valid);
            assertThat(catchThrowableOfType(MalformedEventException.class, () -> strict.decode(unsized, true)).reason())
                    .isEqualTo(TOO_LARGE);
        }
        try (JetstreamDecoder exact = JetstreamDecoder.builder().limits(new JetstreamLimits(valid.length, 128)).build()) {
            byte[] unsized = JetstreamCompressor.with(JetstreamDictionary.bundledBytes(), false).compress(valid);
            assertThat(exact.decode(unsized, true)).isEqualTo(decoder.decode(valid, false));
        }
    }

    @Test
    void aZstdBombIsRefusedWithoutInflatingIt() {
        // 64 MiB of one byte: a few KB compressed, far beyond the default 5 MiB once inflated
        byte[] huge = new byte[64 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        for (boolean contentSize : new boolean[] {true, false}) {
            byte[] bomb = JetstreamCompressor.with(JetstreamDictionary.bundledBytes(), contentSize).compress(huge);
            assertThat(bomb.length).isLessThan(64 * 1024);
            MalformedEventException e = assertReason(bomb, true, TOO_LARGE);
            assertThat(e.getMessage()).contains(contentSize ? "declares" : "inflates to more than");
        }
    }

    @Test
    void badCompression() throws Exception {
        byte[] valid = post.toString().getBytes(StandardCharsets.UTF_8);
        byte[] frame = JetstreamCompressor.jetstream().compress(valid);
        assertReason(valid, true, BAD_COMPRESSION); // JSON on a compressed connection
        assertReason(new byte[0], true, BAD_COMPRESSION);
        assertReason(new byte[] {0x28, (byte) 0xB5, 0x2F}, true, BAD_COMPRESSION); // magic cut short
        assertReason(Arrays.copyOf(frame, frame.length - 3), true, BAD_COMPRESSION); // truncated
        byte[] flipped = frame.clone();
        flipped[flipped.length - 6] ^= 0x55; // payload or checksum damaged
        assertReason(flipped, true, BAD_COMPRESSION);
        // another dictionary: a frame names its dictionary ID, and this decoder has Jetstream's only
        byte[] otherDictionary = JetstreamDictionary.bundledBytes();
        otherDictionary[4] ^= 1; // same content, another ID
        byte[] foreign = JetstreamCompressor.with(otherDictionary, true).compress(valid);
        assertReason(foreign, true, BAD_COMPRESSION);
        // the same frame read as plain JSON; a good frame of something that is not JSON
        assertReason(frame, false, NOT_JSON);
        assertReason(JetstreamCompressor.jetstream().compress("not json".getBytes()), true, NOT_JSON);
    }

    @Test
    void randomDamageToRealMessagesGivesAReasonNeverAnotherException() {
        List<JetstreamWireEvent> events = JetstreamCorpus.firehose(200, 5).events();
        Random random = new Random(99);
        int malformed = 0;
        for (int round = 0; round < 4000; round++) {
            JetstreamWireEvent event = events.get(random.nextInt(events.size()));
            boolean compressed = random.nextBoolean();
            byte[] message = event.message(compressed).clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                message[random.nextInt(message.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                message = Arrays.copyOf(message, random.nextInt(message.length));
            }
            try {
                decoder.decode(message, compressed);
            } catch (MalformedEventException e) {
                assertThat(e.reason()).isNotNull();
                malformed++;
            }
        }
        assertThat(malformed).isGreaterThan(1000);
    }

    @Test
    void aGoodMessageAfterBadOnesStillDecodes() throws Exception {
        byte[] valid = post.toString().getBytes(StandardCharsets.UTF_8);
        byte[] frame = JetstreamCompressor.jetstream().compress(valid);
        assertReason(Arrays.copyOf(frame, 10), true, BAD_COMPRESSION);
        assertThat(decoder.decode(frame, true).timeUs()).isEqualTo(postTimeUs);
    }

    @Test
    void messagesNameTheReasonAndTheTime() {
        MalformedEventException e = assertReason(mutated(ev -> ev.put("kind", "sync")), false, UNKNOWN_KIND);
        assertThat(e.getMessage()).startsWith("UNKNOWN_KIND: kind 'sync'").endsWith("(time_us " + postTimeUs + ")");
    }

    private static ObjectNode commit(ObjectNode event) {
        return (ObjectNode) event.get("commit");
    }

    private static byte[] mutated(Consumer<ObjectNode> change) {
        ObjectNode copy = post.deepCopy();
        change.accept(copy);
        return copy.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                            .maxNestingDepth(10_000).build()).build()).readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MalformedEventException assertReason(byte[] message, boolean compressed,
                                                        MalformedEventException.Reason reason) {
        MalformedEventException e = catchThrowableOfType(MalformedEventException.class,
                () -> decoder.decode(message, compressed));
        assertThat(e).as("%s for %s", reason, message == null ? "null"
                : new String(message, 0, Math.min(message.length, 120), StandardCharsets.UTF_8)).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        return e;
    }
}
