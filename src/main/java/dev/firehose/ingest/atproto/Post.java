package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Locale;

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

    /** Language used when a post declares none, or one that cannot be a NATS subject token. */
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
     * Lower-cased primary subtag of the first declared language ({@code "en"} for {@code "en-US"}), or {@code "und"}
     * when there is none or it is not a safe NATS subject token ({@code [a-z0-9]{1,8}} after lower-casing).
     */
    public String subjectLanguage() {
        if (langs.isEmpty()) {
            return UNDETERMINED_LANGUAGE;
        }
        String tag = langs.get(0);
        int dash = tag.indexOf('-');
        String primary = (dash >= 0 ? tag.substring(0, dash) : tag).toLowerCase(Locale.ROOT);
        return isSubjectToken(primary) ? primary : UNDETERMINED_LANGUAGE;
    }

    /** Text length in Unicode code points (what Bluesky's 300-grapheme limit is usually approximated by). */
    public int textCodePoints() {
        return text.codePointCount(0, text.length());
    }

    private static boolean isSubjectToken(String s) {
        if (s.isEmpty() || s.length() > 8) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> immutable(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
