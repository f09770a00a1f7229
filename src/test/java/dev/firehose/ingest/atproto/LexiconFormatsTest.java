package dev.firehose.ingest.atproto;

import dev.firehose.ingest.testsupport.RepoRecords;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The string formats checked before a value is published; valid examples from the atproto specs and the fixtures. */
class LexiconFormatsTest {

    @Test
    void dids() {
        for (String did : List.of("did:plc:z72i7hdynmk6r22z27h6tvur", "did:web:blueskyweb.xyz", "did:method:val:two",
                "did:m:v", "did:method::::val", "did:method:-:_:.", "did:key:zQ3shZc2QzApp2oymGvQbzP8eKheVshBHbU4ZYjeXqwSKEn6N",
                "did:web:localhost%3A1234", "did:plc:" + "a".repeat(2040))) {
            assertThat(LexiconFormats.isDid(did)).as(did).isTrue();
        }
        for (String did : List.of("", "did", "did:", "did:plc", "did:plc:", "did::id", "did:PLC:abc", "did:pl1c:abc",
                "DID:plc:abc", "did:plc:abc:", "did:plc:abc%", "did:plc:abc def", "did:plc:abc\r\nX-Evil: 1",
                "did:plc:ab\u0000c", "did:plc:abçd", "did:plc:ab/c", "did:plc:ab#c", "did:plc:ab?c", " did:plc:abc",
                "did:plc:" + "a".repeat(2041))) {
            assertThat(LexiconFormats.isDid(did)).as(did).isFalse();
        }
        // every repo of the real data
        assertThat(RepoRecords.load().dids()).isNotEmpty()
                .allSatisfy(did -> assertThat(LexiconFormats.isDid(did)).as(did).isTrue());
        FirehoseFixtures.all().forEach(frame -> {
            String did = frame.body().has("repo") ? frame.body().get("repo").textValue() : frame.body().get("did").textValue();
            assertThat(LexiconFormats.isDid(did)).as(did).isTrue();
        });
    }

    @Test
    void handles() {
        for (String handle : List.of("jay.bsky.social", "8.cn", "name.t--t", "XX.LCS.MIT.EDU", "a.co", "xn--notarealidn.com",
                "xn--fiqa61au8b7zsevnm8ak20mc4a87e.xn--fiqs8s", "a".repeat(63) + ".test")) {
            assertThat(LexiconFormats.isHandle(handle)).as(handle).isTrue();
        }
        for (String handle : List.of("", "jo@hn.test", "💩.test", "john..test", "xn--bcher-.tld", "john.0", "cn.8",
                "www.masełkowski.pl.com", "org", "name.org.", "-jay.test", "jay-.test", "a".repeat(64) + ".test",
                ("a".repeat(63) + ".").repeat(4) + "test")) {
            assertThat(LexiconFormats.isHandle(handle)).as(handle).isFalse();
        }
    }

    @Test
    void nsidsAndTypeNames() {
        for (String nsid : List.of("app.bsky.feed.post", "com.atproto.sync.subscribeRepos", "com.example.fooBar",
                "net.users.bob.ping", "a-0.b-1.c", "a.b.c", "cn.8.lex.stuff", "a.b.c3")) {
            assertThat(LexiconFormats.isNsid(nsid)).as(nsid).isTrue();
        }
        for (String nsid : List.of("", "com.example", "com.example.3", "com.exa💩ple.thing", "com.example.foo-bar",
                "com..example.foo", "1com.example.foo", "com.example.foo.", "com.example.foo#bar", "com.example.foo bar",
                "a.b." + "c".repeat(64), "a." + ("b".repeat(63) + ".").repeat(5) + "c")) {
            assertThat(LexiconFormats.isNsid(nsid)).as(nsid).isFalse();
        }
        assertThat(LexiconFormats.isTypeName("app.bsky.embed.images")).isTrue();
        assertThat(LexiconFormats.isTypeName("app.bsky.embed.record#viewRecord")).isTrue();
        assertThat(LexiconFormats.isTypeName("app.bsky.embed.record#")).isFalse();
        assertThat(LexiconFormats.isTypeName("app.bsky.embed.record#a#b")).isFalse();
        assertThat(LexiconFormats.isTypeName("app.bsky.embed.record#view-record")).isFalse();
        assertThat(LexiconFormats.isTypeName("images")).isFalse();
        assertThat(LexiconFormats.isTypeName("app.bsky.embed.images\r\n")).isFalse();
    }

    @Test
    void atUris() {
        for (String uri : List.of("at://did:plc:yk4dd2qkboz2yv6tpubpc6co/app.bsky.feed.post/3llz56wmk522o",
                "at://did:plc:r7fdhqmw3h2cifeakw5hmvy6/app.bsky.feed.post/3lhmyd27gsk23", "at://bob.test",
                "at://did:web:example.com/com.example.thing", "at://bob.test/app.bsky.feed.post/self")) {
            assertThat(LexiconFormats.isAtUri(uri)).as(uri).isTrue();
        }
        for (String uri : List.of("", "at://", "at:///app.bsky.feed.post/3k", "https://bsky.app/profile/bob.test",
                "at://did:plc:abc/", "at://did:plc:abc/app.bsky.feed.post/", "at://did:plc:abc/app.bsky.feed.post/3k/x",
                "at://did:plc:abc/app.bsky.feed.post/3k#frag", "at://did:plc:abc/app.bsky.feed.post/3k?q=1",
                "at://did:plc:abc/notansid/3k", "at://did:plc:abc/app.bsky.feed.post/bad key", "AT://did:plc:abc",
                "at://did:plc:abc/app.bsky.feed.post/3k\r\n")) {
            assertThat(LexiconFormats.isAtUri(uri)).as(uri).isFalse();
        }
    }

    @Test
    void uris() {
        for (String uri : List.of("https://example.com", "https://example.com/a?b=c#d", "http://[::1]:80/",
                "mailto:someone@example.com", "at://did:plc:abc", "dns:example.com", "https://ja.wikipedia.org/wiki/日本",
                "https://example.com/" + "a".repeat(8000))) {
            assertThat(LexiconFormats.isUri(uri)).as(uri).isTrue();
        }
        for (String uri : List.of("", "example.com", ":nothing", "https:", "1http://x", "ht tp://x", "https://a b",
                "https://a\tb", "https://a\nb", "https://a\u0000", "https://a\u007f", "https://a\u0085",
                "https://a\u00a0b", "https://a\u2028b", "https://a\"b", "https://a\\b",
                "https://example.com/" + "a".repeat(8173))) {
            assertThat(LexiconFormats.isUri(uri)).as(uri).isFalse();
        }
    }
}
