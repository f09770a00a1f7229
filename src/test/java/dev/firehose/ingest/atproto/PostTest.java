package dev.firehose.ingest.atproto;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.firehose.ingest.atproto.FirehoseFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostTest {

    @Test
    void subjectLanguage() {
        assertThat(withLangs("en-US").subjectLanguage()).isEqualTo("en");
        assertThat(withLangs("EN").subjectLanguage()).isEqualTo("en");
        assertThat(withLangs("zh-Hant-TW", "en").subjectLanguage()).isEqualTo("zh");
        assertThat(withLangs("ast").subjectLanguage()).isEqualTo("ast");
        assertThat(withLangs().subjectLanguage()).isEqualTo("und");
        assertThat(withLangs("").subjectLanguage()).isEqualTo("und");
        assertThat(withLangs("-x").subjectLanguage()).isEqualTo("und");
        assertThat(withLangs("pt_BR").subjectLanguage()).isEqualTo("pt"); // as the language filter reads it
        assertThat(withLangs("x-klingon").subjectLanguage()).isEqualTo("und");
        assertThat(withLangs("Latn").subjectLanguage()).isEqualTo("und");
        assertThat(withLangs("419").subjectLanguage()).isEqualTo("und");
        assertThat(withLangs("en.*").subjectLanguage()).isEqualTo("und");
        assertThat(withLangs("abcdefghi").subjectLanguage()).isEqualTo("und");
        assertThat(withLangs("ÉN").subjectLanguage()).isEqualTo("und");
    }

    @Test
    void textCodePoints() {
        assertThat(post("héllo 😀").textCodePoints()).isEqualTo(7);
        assertThat(post("👨‍👩‍👧").textCodePoints()).isEqualTo(5);
    }

    @Test
    void listsAreImmutableAndNeverNull() {
        List<String> langs = new ArrayList<>(List.of("en"));
        Post p = new Post("u", "c", "a", "r", "t", null, langs, 1L, "t", null, null, null, null, null, null);
        langs.add("fr");
        assertThat(p.langs()).containsExactly("en");
        assertThat(p.tags()).isEmpty();
        assertThatThrownBy(() -> p.langs().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void jsonShape() throws Exception {
        Post p = new Post("at://did:plc:a/app.bsky.feed.post/3k", "bafy", "did:plc:a", "3k", "hi", "2025-01-01T00:00:00Z",
                List.of("en"), 5L, "2025-01-01T00:00:01Z", new Post.Reply("at://r", "at://p"), List.of("t"), List.of(),
                List.of(), "app.bsky.embed.images", List.of());
        JsonNode json = JSON.valueToTree(p);
        assertThat(json.has("created_at")).isTrue();
        assertThat(json.has("createdAt")).isFalse();
        assertThat(json.has("subjectLanguage")).isFalse();
        assertThat(json.get("reply").get("parent").textValue()).isEqualTo("at://p");
        assertThat(JSON.treeToValue(json, Post.class)).isEqualTo(p);
    }

    private static Post withLangs(String... langs) {
        return new Post("u", "c", "a", "r", "t", null, List.of(langs), 1L, "t", null, null, null, null, null, null);
    }

    private static Post post(String text) {
        return new Post("u", "c", "a", "r", text, null, null, 1L, "t", null, null, null, null, null, null);
    }
}
