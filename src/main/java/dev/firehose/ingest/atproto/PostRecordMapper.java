package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps a decoded {@code app.bsky.feed.post} record (AT-JSON tree) to a {@link Post}. Only {@code $type} and a string
 * {@code text} are required; every optional part that is missing or of the wrong shape is simply left out, since
 * third-party clients write all sorts of slightly-off records.
 */
final class PostRecordMapper {

    static final String POST_TYPE = "app.bsky.feed.post";

    /** Why a record is not a post; carries no stack trace, it is control flow for bad input. */
    static final class NotAPost extends Exception {
        private static final long serialVersionUID = 1L;

        NotAPost(String message) {
            super(message, null, false, false);
        }
    }

    private PostRecordMapper() {
    }

    static Post map(JsonNode record, String repo, String rkey, String cid, long seq, String time) throws NotAPost {
        if (!record.isObject()) {
            throw new NotAPost("record is not a map");
        }
        JsonNode type = record.get("$type");
        if (type == null || !type.isTextual() || !POST_TYPE.equals(type.textValue())) {
            throw new NotAPost("$type is " + (type == null ? "missing" : type) + ", not " + POST_TYPE);
        }
        JsonNode text = record.get("text");
        if (text == null || !text.isTextual()) {
            throw new NotAPost("text is " + (text == null ? "missing" : "not a string"));
        }
        List<String> tags = new ArrayList<>(0);
        List<String> mentions = new ArrayList<>(0);
        List<String> links = new ArrayList<>(0);
        facetFeatures(record.get("facets"), tags, mentions, links);
        for (JsonNode tag : iterable(record.get("tags"))) {
            if (tag.isTextual()) {
                tags.add(tag.textValue());
            }
        }
        return new Post(
                "at://" + repo + "/" + POST_TYPE + "/" + rkey,
                cid,
                repo,
                rkey,
                text.textValue(),
                textOrNull(record.get("createdAt")),
                strings(record.get("langs")),
                seq,
                time,
                reply(record.get("reply")),
                distinct(tags),
                mentions,
                links,
                embedType(record.get("embed")),
                selfLabels(record.get("labels")));
    }

    private static void facetFeatures(JsonNode facets, List<String> tags, List<String> mentions, List<String> links) {
        for (JsonNode facet : iterable(facets)) {
            for (JsonNode feature : iterable(facet.get("features"))) {
                String type = textOrNull(feature.get("$type"));
                if (type == null) {
                    continue;
                }
                switch (type) {
                    case "app.bsky.richtext.facet#tag" -> addText(tags, feature.get("tag"));
                    case "app.bsky.richtext.facet#mention" -> addText(mentions, feature.get("did"));
                    case "app.bsky.richtext.facet#link" -> addText(links, feature.get("uri"));
                    default -> {
                        // other feature kinds are not published
                    }
                }
            }
        }
    }

    private static Post.Reply reply(JsonNode reply) {
        if (reply == null || !reply.isObject()) {
            return null;
        }
        return new Post.Reply(uriOf(reply.get("root")), uriOf(reply.get("parent")));
    }

    private static String uriOf(JsonNode strongRef) {
        return strongRef == null ? null : textOrNull(strongRef.get("uri"));
    }

    private static String embedType(JsonNode embed) {
        return embed == null ? null : textOrNull(embed.get("$type"));
    }

    /** {@code labels} is a {@code com.atproto.label.defs#selfLabels}: {@code {values: [{val}]}}. */
    private static List<String> selfLabels(JsonNode labels) {
        if (labels == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(1);
        for (JsonNode label : iterable(labels.get("values"))) {
            addText(out, label.get("val"));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>(1);
        for (JsonNode item : iterable(array)) {
            addText(out, item);
        }
        return out;
    }

    private static List<String> distinct(List<String> list) {
        if (list.size() < 2) {
            return list;
        }
        Set<String> unique = new LinkedHashSet<>(list);
        return unique.size() == list.size() ? list : new ArrayList<>(unique);
    }

    private static void addText(List<String> out, JsonNode node) {
        if (node != null && node.isTextual()) {
            out.add(node.textValue());
        }
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** Elements of an array node; nothing for null or non-arrays. */
    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }
}
