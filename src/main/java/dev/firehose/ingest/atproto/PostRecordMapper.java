package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static dev.firehose.ingest.atproto.FieldBounds.ANY;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_DATETIME_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_DID_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_EMBED_TYPE_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LABELS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LABEL_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LANGS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LANG_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_LINKS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_MENTIONS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_TAGS;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_TAG_BYTES;
import static dev.firehose.ingest.atproto.PostFieldCaps.MAX_URI_BYTES;

/**
 * Maps a decoded {@code app.bsky.feed.post} record (AT-JSON tree) to a {@link Post}. Only {@code $type} and a string
 * {@code text} within {@link DecodeLimits#maxTextBytes()} are required; every optional part that is missing or of the
 * wrong shape is simply left out, since third-party clients write all sorts of slightly-off records, and every value
 * over its cap ({@link PostFieldCaps}) or of the wrong syntax is dropped and reported as a {@link FieldProblem}.
 */
final class PostRecordMapper {

    static final String POST_TYPE = "app.bsky.feed.post";

    private PostRecordMapper() {
    }

    /** The record's part of a post, every field within its cap. */
    static PostContent content(JsonNode record, int maxTextBytes) throws RejectedRecordException {
        if (!record.isObject()) {
            throw new RejectedRecordException(RecordProblem.Reason.INVALID_RECORD, "record is not a map");
        }
        JsonNode type = record.get("$type");
        if (type == null || !type.isTextual() || !POST_TYPE.equals(type.textValue())) {
            String found = type == null ? "missing" : type.isTextual() ? Excerpt.of(type.textValue())
                    : "a " + type.getNodeType();
            throw new RejectedRecordException(RecordProblem.Reason.INVALID_RECORD, "$type is " + found + ", not " + POST_TYPE);
        }
        JsonNode textNode = record.get("text");
        if (textNode == null || !textNode.isTextual()) {
            throw new RejectedRecordException(RecordProblem.Reason.INVALID_RECORD,
                    "text is " + (textNode == null ? "missing" : "not a string"));
        }
        // checked before anything else is mapped, and in O(1) for a text with more chars than the cap
        String text = textNode.textValue();
        int textBytes = Utf8.encodedLength(text, maxTextBytes);
        if (textBytes > maxTextBytes) {
            throw new RejectedRecordException(RecordProblem.Reason.TEXT_TOO_LONG,
                    "text of " + text.length() + " chars is longer than " + maxTextBytes + " bytes");
        }
        if (textBytes < 0) {
            throw new RejectedRecordException(RecordProblem.Reason.INVALID_RECORD, "text holds an unpaired surrogate");
        }

        FieldBounds bounds = new FieldBounds();
        FieldBounds.Values tags = bounds.distinctValues(FieldProblem.TAGS, MAX_TAGS, MAX_TAG_BYTES, ANY);
        FieldBounds.Values mentions = bounds.values(FieldProblem.MENTIONS, MAX_MENTIONS, MAX_DID_BYTES,
                LexiconFormats::isDid);
        FieldBounds.Values links = bounds.values(FieldProblem.LINKS, MAX_LINKS, MAX_URI_BYTES, LexiconFormats::isUri);
        facetFeatures(record.get("facets"), tags, mentions, links);
        addStrings(record.get("tags"), tags);
        FieldBounds.Values langs = bounds.values(FieldProblem.LANGS, MAX_LANGS, MAX_LANG_BYTES, ANY);
        addStrings(record.get("langs"), langs);
        FieldBounds.Values labels = bounds.values(FieldProblem.LABELS, MAX_LABELS, MAX_LABEL_BYTES, ANY);
        selfLabels(record.get("labels"), labels);

        String createdAt = bounds.value(FieldProblem.CREATED_AT, textOrNull(record.get("createdAt")),
                MAX_DATETIME_BYTES, ANY);
        Post.Reply reply = reply(record.get("reply"), bounds);
        String embed = bounds.value(FieldProblem.EMBED, embedType(record.get("embed")), MAX_EMBED_TYPE_BYTES,
                LexiconFormats::isTypeName);
        return new PostContent(text, textBytes, createdAt, langs.finish(), reply, tags.finish(), mentions.finish(),
                links.finish(), embed, labels.finish(), bounds.problems());
    }

    /** The post of {@code content} created at {@code at://<repo>/app.bsky.feed.post/<rkey>}; repo and rkey valid. */
    static Post post(PostContent content, String repo, String rkey, String cid, Long seq, String time) {
        return new Post(
                "at://" + repo + "/" + POST_TYPE + "/" + rkey,
                cid,
                repo,
                rkey,
                content.text(),
                content.createdAt(),
                content.langs(),
                seq,
                time,
                content.reply(),
                content.tags(),
                content.mentions(),
                content.links(),
                content.embed(),
                content.labels());
    }

    private static void facetFeatures(JsonNode facets, FieldBounds.Values tags, FieldBounds.Values mentions,
                                      FieldBounds.Values links) {
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

    private static Post.Reply reply(JsonNode reply, FieldBounds bounds) {
        if (reply == null || !reply.isObject()) {
            return null;
        }
        return new Post.Reply(
                bounds.value(FieldProblem.REPLY_ROOT, uriOf(reply.get("root")), MAX_URI_BYTES, LexiconFormats::isAtUri),
                bounds.value(FieldProblem.REPLY_PARENT, uriOf(reply.get("parent")), MAX_URI_BYTES,
                        LexiconFormats::isAtUri));
    }

    private static String uriOf(JsonNode strongRef) {
        return strongRef == null ? null : textOrNull(strongRef.get("uri"));
    }

    private static String embedType(JsonNode embed) {
        return embed == null ? null : textOrNull(embed.get("$type"));
    }

    /** {@code labels} is a {@code com.atproto.label.defs#selfLabels}: {@code {values: [{val}]}}. */
    private static void selfLabels(JsonNode labels, FieldBounds.Values out) {
        if (labels == null) {
            return;
        }
        for (JsonNode label : iterable(labels.get("values"))) {
            addText(out, label.get("val"));
        }
    }

    private static void addStrings(JsonNode array, FieldBounds.Values out) {
        for (JsonNode item : iterable(array)) {
            addText(out, item);
        }
    }

    private static void addText(FieldBounds.Values out, JsonNode node) {
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
