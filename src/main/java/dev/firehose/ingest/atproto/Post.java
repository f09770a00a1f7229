package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One {@code app.bsky.feed.post} record created in a commit, as published downstream.
 * List components are never null (empty when absent) and immutable. {@code seq} is the relay's sequence number of
 * the commit, or null when the post did not come from a relay (a Jetstream event has none).
 */
public record Post(
        String uri,
        String cid,
        String author,
        String rkey,
        String text,
        @JsonProperty("created_at") String createdAt,
        List<String> langs,
        Long seq,
        String time,
        Reply reply,
        List<String> tags,
        List<String> mentions,
        List<String> links,
        String embed,
        List<String> labels) {

    /** Language used when a post declares none, or one whose primary subtag is not an ISO 639 code. */
    public static final String UNDETERMINED_LANGUAGE = "und";

    /** The thread a reply belongs to, as at:// URIs. */
    public record Reply(String root, String parent) {
    }

    public Post {
        langs = immutable(langs);
        tags = immutable(tags);
        mentions = immutable(mentions);
        links = immutable(links);
        labels = immutable(labels);
    }

    /**
     * Lower-cased primary subtag of the first declared language ({@code "en"} for {@code "en-US"}, {@code "EN"} or
     * {@code "en_GB"}), or {@code "und"} when there is none or it is not a two- or three-letter ISO 639 code
     * ({@link LanguageTags#primarySubtag}): the NATS subject token, so at most three lower-case ASCII letters.
     */
    public String subjectLanguage() {
        String primary = langs.isEmpty() ? null : LanguageTags.primarySubtag(langs.get(0));
        return primary == null ? UNDETERMINED_LANGUAGE : primary;
    }

    /** Text length in Unicode code points (what Bluesky's 300-grapheme limit is usually approximated by). */
    public int textCodePoints() {
        return text.codePointCount(0, text.length());
    }

    private static List<String> immutable(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
