package dev.firehose.ingest.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.firehose.ingest.testsupport.ShippedProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filter settings as application.properties defines them, and the messages a wrong value gets. */
class FilterSettingsReaderTest {

    @TempDir
    Path tmp;

    /** The defaults of application.properties; and each filter key is fed by the variable its Setting names. */
    private static Map<String, String> shippedDefaults() {
        ShippedProperties.variables().forEach((key, variable) -> {
            if (key.startsWith("filter.")) {
                assertThat(Setting.valueOf(variable).property()).isEqualTo(key);
            }
        });
        return ShippedProperties.defaults();
    }

    private static FilterSettings read(Map<String, String> p) {
        return new SettingsReader(p::get).read().filters();
    }

    @Test
    void theShippedDefaults() {
        FilterSettings s = read(shippedDefaults());
        assertThat(s.textRulesEnabled()).isTrue();
        assertThat(s.minTextLength()).isEqualTo(10);
        assertThat(s.maxTextLength()).isEqualTo(1000);
        assertThat(s.languages()).isEmpty();
        assertThat(s.keepUndeclaredLanguage()).isTrue();
        assertThat(s.maxHashtags()).isEqualTo(10);
        assertThat(s.maxMentions()).isEqualTo(10);
        assertThat(s.maxLinks()).isEqualTo(5);
        assertThat(s.rejectOnlyTagsLinks()).isTrue();
        assertThat(s.maxRepeatedChars()).isEqualTo(30);
        assertThat(s.duplicateWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.duplicateMaxEntries()).isEqualTo(50_000);
        assertThat(s.phrasesFile()).isEmpty();
        assertThat(s.blockedDidsFile()).isEmpty();
        assertThat(s.listsCheckIntervalMillis()).isEqualTo(5000);
    }

    @Test
    void languagesArePrimarySubtagsLowerCased() {
        Map<String, String> p = shippedDefaults();
        p.put("filter.languages", " EN, pt ,ja,");
        assertThat(read(p).languages()).isEqualTo(Set.of("en", "pt", "ja"));
        p.put("filter.languages", "en,en-US");
        assertThatThrownBy(() -> read(p)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("FILTER_LANGUAGES").hasMessageContaining("en-US");
    }

    @Test
    void wrongValuesNameTheirVariable() {
        Map<String, String> cases = Map.of(
                "filter.max-hashtags", "-1",
                "filter.max-repeated-chars", "lots",
                "filter.duplicate-window", "10 minutes",
                "filter.duplicate-max-entries", "0",
                "filter.keep-undeclared-language", "perhaps",
                "filter.reject-only-tags-links", "sure",
                "filter.phrases-file", tmp.resolve("missing.txt").toString(),
                "filter.blocked-dids-file", tmp.resolve("missing.txt").toString());
        for (Map.Entry<String, String> wrong : cases.entrySet()) {
            Map<String, String> p = shippedDefaults();
            p.put(wrong.getKey(), wrong.getValue());
            String variable = java.util.Arrays.stream(Setting.values())
                    .filter(s -> s.property().equals(wrong.getKey())).findFirst().orElseThrow().env();
            assertThatThrownBy(() -> read(p)).as(wrong.getKey()).isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining(variable);
        }
    }

    @Test
    void listFilesThatExistAreTaken() throws Exception {
        Path phrases = Files.writeString(tmp.resolve("phrases.txt"), "free crypto\n");
        Map<String, String> p = shippedDefaults();
        p.put("filter.phrases-file", phrases.toString());
        assertThat(read(p).phrasesFile()).isEqualTo(phrases.toString());
    }
}
