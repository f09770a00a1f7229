package dev.firehose.ingest.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsReaderTest {

    /** The defaults of application.properties, as the original service documents them. */
    private static Map<String, String> defaults() {
        Map<String, String> p = new HashMap<>();
        p.put("firehose.source", "relay");
        p.put("firehose.url", "wss://bsky.network/xrpc/com.atproto.sync.subscribeRepos");
        p.put("jetstream.url", "wss://jetstream2.us-east.bsky.network/subscribe");
        p.put("jetstream.compress", "true");
        p.put("nats.publish-deletes", "false");
        p.put("nats.delete-subject", "bluesky.deletes");
        p.put("firehose.idle-timeout-ms", "0");
        p.put("firehose.ping-timeout-ms", "6000");
        p.put("firehose.read-linger-ms", "50");
        p.put("firehose.reset-on-future-cursor", "false");
        p.put("firehose.max-frame-bytes", "5242880");
        p.put("firehose.start-cursor", "");
        p.put("nats.dlq-subject", "");
        p.put("nats.url", "nats://nats.nats.svc.cluster.local:4222");
        p.put("nats.stream", "bluesky-posts");
        p.put("nats.subject", "bluesky.posts");
        p.put("nats.kv-bucket", "firehose-state");
        p.put("nats.stream-max-age", "7d");
        p.put("nats.stream-max-bytes", "-1");
        p.put("nats.stream-replicas", "1");
        p.put("nats.duplicate-window", "10m");
        p.put("filter.enabled", "true");
        p.put("filter.min-text-length", "10");
        p.put("filter.max-text-length", "1000");
        p.put("batch.size", "100");
        p.put("batch.timeout", "1000");
        p.put("cursor.save-interval", "1000");
        p.put("service.name", "nats-firehose-ingest");
        p.put("pipeline.max-pending-posts", "5000");
        p.put("nats.publish-window", "1000");
        p.put("routes.directory", "routes");
        p.put("routes.reload-interval-ms", "2000");
        p.put("filter.languages", "");
        p.put("filter.keep-undeclared-language", "true");
        p.put("filter.max-hashtags", "10");
        p.put("filter.max-mentions", "10");
        p.put("filter.max-links", "5");
        p.put("filter.reject-only-tags-links", "true");
        p.put("filter.max-repeated-chars", "30");
        p.put("filter.duplicate-window", "10m");
        p.put("filter.duplicate-max-entries", "50000");
        p.put("filter.phrases-file", "");
        p.put("filter.blocked-dids-file", "");
        p.put("filter.lists-check-interval-ms", "5000");
        return p;
    }

    /** The defaults with one setting changed. */
    private static Map<String, String> defaultsWith(String key, String value) {
        Map<String, String> p = defaults();
        p.put(key, value);
        return p;
    }

    private static IngestSettings read(Map<String, String> p) {
        return new SettingsReader(p::get).read();
    }

    @Test
    void readsTheDefaults() {
        IngestSettings s = read(defaults());
        assertThat(s.batchSize()).isEqualTo(100);
        assertThat(s.duplicateWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.streamMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(s.filters().minTextLength()).isEqualTo(10);
        assertThat(s.filters().textRulesEnabled()).isTrue();
        assertThat(s.firehoseUrl().getHost()).isEqualTo("bsky.network");
    }

    @Test
    void aPendingBoundBelowTheBatchSizeIsRefused() {
        Map<String, String> p = defaultsWith("pipeline.max-pending-posts", "50");
        assertThatThrownBy(() -> read(p)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("MAX_PENDING_POSTS (50)").hasMessageContaining("BATCH_SIZE (100)");
    }

    @Test
    void aNegativeSizeNamesTheVariable() {
        assertThatThrownBy(() -> read(defaultsWith("batch.size", "-5"))).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("BATCH_SIZE").hasMessageContaining("-5");
    }

    @Test
    void minAboveMaxNamesBothVariables() {
        Map<String, String> p = defaults();
        p.put("filter.min-text-length", "50");
        p.put("filter.max-text-length", "20");
        assertThatThrownBy(() -> read(p)).hasMessageContaining("MIN_TEXT_LENGTH")
                .hasMessageContaining("MAX_TEXT_LENGTH");
    }

    @Test
    void anUnparsableUrlNamesTheVariable() {
        assertThatThrownBy(() -> read(defaultsWith("firehose.url", "not a url"))).hasMessageContaining("FIREHOSE_URL");
        assertThatThrownBy(() -> read(defaultsWith("firehose.url", "http://bsky.network/xrpc")))
                .hasMessageContaining("FIREHOSE_URL");
    }

    @Test
    void aBadNatsUrlIsReportedWithoutItsPassword() {
        assertThatThrownBy(() -> read(defaultsWith("nats.url", "nats://user:s3cret@ bad host:4222")))
                .hasMessageContaining("NATS_URL").hasMessageNotContaining("s3cret");
    }

    @Test
    void aNatsUrlWithoutSchemeIsGivenNatsSoItsUserInfoIsMaskedLikeAnyOther() {
        assertThat(read(defaultsWith("nats.url", "ingest:s3cret@h1:4222, nats://h2:4222, h3:4222")).natsUrl())
                .isEqualTo("nats://ingest:s3cret@h1:4222,nats://h2:4222,nats://h3:4222");
        assertThat(Redaction.url(read(defaultsWith("nats.url", "ingest:s3cret@h1:4222")).natsUrl()))
                .isEqualTo("nats://***@h1:4222");
    }

    @Test
    void aBadNatsUrlWithoutSchemeOrWithSpacesIsReportedWithoutItsPassword() {
        assertThatThrownBy(() -> read(defaultsWith("nats.url", "user:s3cret@ bad host:4222")))
                .hasMessageContaining("NATS_URL").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> read(defaultsWith("nats.url", "nats://user:s3 cret@host:4222")))
                .hasMessageContaining("NATS_URL").hasMessageNotContaining("s3").hasMessageNotContaining("cret");
    }

    @Test
    void aTokenAndAUserTogetherAreRefusedWithoutTheirValues() {
        Map<String, String> p = defaults();
        p.put("nats.user", "svc");
        p.put("nats.token", "tok-s3cret");
        assertThatThrownBy(() -> read(p)).hasMessageContaining("NATS_TOKEN").hasMessageContaining("NATS_USER")
                .hasMessageNotContaining("tok-s3cret");
    }

    @Test
    void wildcardSubjectsAndBadBooleansAreRefused() {
        assertThatThrownBy(() -> read(defaultsWith("nats.subject", "bluesky.*"))).hasMessageContaining("NATS_SUBJECT");
        assertThatThrownBy(() -> read(defaultsWith("filter.enabled", "maybe")))
                .hasMessageContaining("ENABLE_TEXT_FILTERING");
    }

    @Test
    void aDeadLetterSubjectInsideThePostsStreamIsRefused() {
        Map<String, String> p = defaults();
        p.put("nats.dlq-subject", "bluesky.posts.bad");
        assertThatThrownBy(() -> read(p)).hasMessageContaining("NATS_DLQ_SUBJECT");
        p.put("nats.dlq-subject", "bluesky.bad-frames");
        assertThat(read(p).deadLettersEnabled()).isTrue();
        assertThat(read(defaults()).deadLettersEnabled()).isFalse();
    }

    @Test
    void theSourceIsRelayOrJetstreamExactlyAndKeepsItsOwnCursorKey() {
        IngestSettings relay = read(defaults());
        assertThat(relay.source()).isEqualTo(FirehoseSource.RELAY);
        assertThat(relay.cursorKey()).isEqualTo("nats-firehose-ingest");
        assertThat(relay.sourceUrl().getHost()).isEqualTo("bsky.network");
        IngestSettings jetstream = read(defaultsWith("firehose.source", "jetstream"));
        assertThat(jetstream.source()).isEqualTo(FirehoseSource.JETSTREAM);
        assertThat(jetstream.cursorKey()).isEqualTo("nats-firehose-ingest.jetstream");
        assertThat(jetstream.sourceUrl().getHost()).isEqualTo("jetstream2.us-east.bsky.network");
        assertThat(jetstream.jetstreamCompress()).isTrue();
        // the value is also the route file's name: anything else would load no source route at all
        for (String bad : new String[] {"Jetstream", " relay", "firehose", ""}) {
            assertThatThrownBy(() -> read(defaultsWith("firehose.source", bad)))
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining("FIREHOSE_SOURCE")
                    .hasMessageContaining("relay or jetstream");
        }
    }

    @Test
    void theJetstreamUrlIsAWebsocketUrl() {
        assertThatThrownBy(() -> read(defaultsWith("jetstream.url", "https://jetstream2.us-east.bsky.network")))
                .hasMessageContaining("JETSTREAM_URL");
        assertThatThrownBy(() -> read(defaultsWith("jetstream.compress", "zstd")))
                .hasMessageContaining("JETSTREAM_COMPRESS");
    }

    @Test
    void aJetstreamStartCursorIsATimeInMicrosecondsNeverAV2Seq() {
        Map<String, String> p = defaultsWith("firehose.source", "jetstream");
        p.put("firehose.start-cursor", "1744839000000000");
        assertThat(read(p).startCursor()).isEqualTo("1744839000000000");
        p.put("firehose.start-cursor", "live");
        assertThat(read(p).startCursor()).isEqualTo("live");
        // the current Jetstream server reads a cursor under 10^15 as its own sequence number
        p.put("firehose.start-cursor", "999999999999999");
        assertThatThrownBy(() -> read(p)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("FIREHOSE_START_CURSOR").hasMessageContaining("time_us");
        // a relay seq of any size stays fine for the relay
        assertThat(read(defaultsWith("firehose.start-cursor", "42")).startCursor()).isEqualTo("42");
    }

    @Test
    void theDeleteSubjectIsCheckedWhenDeletesArePublished() {
        Map<String, String> p = defaultsWith("nats.publish-deletes", "true");
        IngestSettings on = read(p);
        assertThat(on.publishDeletes()).isTrue();
        assertThat(on.deleteSubject()).isEqualTo("bluesky.deletes");
        p.put("nats.delete-subject", "bluesky.posts.deletes");
        assertThatThrownBy(() -> read(p)).hasMessageContaining("NATS_DELETE_SUBJECT")
                .hasMessageContaining("outside NATS_SUBJECT.>");
        p.put("nats.delete-subject", "bluesky.posts");
        assertThatThrownBy(() -> read(p)).hasMessageContaining("NATS_DELETE_SUBJECT");
        p.put("nats.delete-subject", "bluesky.deletes.>");
        assertThatThrownBy(() -> read(p)).hasMessageContaining("NATS_DELETE_SUBJECT");
        p.put("nats.delete-subject", "bluesky.dead");
        p.put("nats.dlq-subject", "bluesky.dead");
        assertThatThrownBy(() -> read(p)).hasMessageContaining("NATS_DELETE_SUBJECT")
                .hasMessageContaining("NATS_DLQ_SUBJECT");
        assertThatThrownBy(() -> read(defaultsWith("nats.publish-deletes", "sometimes")))
                .hasMessageContaining("PUBLISH_DELETES");
        // off: the subject is not used, so a NATS_SUBJECT that would contain the default does not stop start-up
        Map<String, String> off = defaultsWith("nats.subject", "bluesky");
        assertThat(read(off).publishDeletes()).isFalse();
    }

    @Test
    void redactionMasksCredentialsInEveryServerUrl() {
        assertThat(Redaction.url("nats://a:b@h1:4222,nats://tok@h2:4222,nats://h3:4222"))
                .isEqualTo("nats://***@h1:4222,nats://***@h2:4222,nats://h3:4222");
    }
}
