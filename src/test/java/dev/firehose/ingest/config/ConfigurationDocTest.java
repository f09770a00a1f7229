package dev.firehose.ingest.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation keeps up with the code: every setting is in docs/configuration.md with its real default, the
 * README links every document in docs/, and no link between the documents points at a missing file or heading.
 */
class ConfigurationDocTest {

    private static final Path CONFIGURATION = Path.of("docs/configuration.md");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\{\\{env:([A-Z0-9_]+):(.*)}}");
    /** How the table writes an empty default. */
    private static final Set<String> NO_DEFAULT = Set.of("(none)", "(off)", "(all)", "(empty)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** Every {@code {{env:NAME:default}}} of application.properties, in order. */
    private static Map<String, String> propertyDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : Files.readAllLines(PROPERTIES)) {
            Matcher m = ENV_DEFAULT.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                defaults.put(m.group(1), m.group(2));
            }
        }
        return defaults;
    }

    /** The table rows of docs/configuration.md whose first cell names {@code env}, as cells. */
    private static List<List<String>> rowsFor(String env) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(CONFIGURATION)) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = Stream.of(line.substring(1).split("\\|")).map(String::strip).toList();
            if (cells.size() >= 3 && cells.get(0).contains("`" + env + "`")) {
                rows.add(cells);
            }
        }
        return rows;
    }

    @Test
    void everySettingIsDocumentedWithItsDefault() throws IOException {
        Map<String, String> defaults = propertyDefaults();
        Set<String> names = new TreeSet<>(defaults.keySet());
        for (Setting setting : Setting.values()) {
            assertThat(defaults).as("%s has a {{env:...}} line in application.properties", setting.env())
                    .containsKey(setting.env());
            names.add(setting.env());
        }
        for (String env : names) {
            List<List<String>> rows = rowsFor(env);
            assertThat(rows).as("a row for `%s` in the tables of %s", env, CONFIGURATION).hasSize(1);
            String documented = rows.get(0).get(1);
            String actual = defaults.get(env);
            if (actual.isEmpty()) {
                assertThat(documented).as("default of %s", env).isIn(NO_DEFAULT);
            } else {
                assertThat(documented).as("default of %s", env).isEqualTo("`" + actual + "`");
            }
        }
    }

    @Test
    void logSettingsAreDocumentedToo() throws IOException {
        // Read by log4j2 itself, not through application.properties.
        String log4j = Files.readString(Path.of("src/main/resources/log4j2.xml"));
        for (String env : List.of("LOG_LEVEL", "LOG_FORMAT")) {
            assertThat(log4j).contains(env);
            assertThat(rowsFor(env)).as("a row for `%s`", env).hasSize(1);
        }
        assertThat(rowsFor("LOG_LEVEL").get(0).get(1)).isEqualTo("`INFO`");
    }

    @Test
    void theReadmeLinksEveryDocument() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            List<String> names = docs.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted()
                    .toList();
            assertThat(names).contains("configuration.md", "output.md", "filters.md", "delivery.md",
                    "operations.md", "troubleshooting.md", "invariants.md");
            for (String name : names) {
                assertThat(readme).as("README.md links docs/" + name).contains("](docs/" + name + ")");
            }
        }
    }

    @Test
    void linksBetweenTheDocumentsResolve() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            Matcher m = LINK.matcher(withoutCode(Files.readString(file)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path resolved = path.isEmpty() ? file : file.resolveSibling(path).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(file + ": " + target);
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(file + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    /** The text without fenced code blocks and inline code, where ](...) and # lines are not links or headings. */
    private static String withoutCode(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                out.append(line.replaceAll("`[^`]*`", "")).append('\n');
            }
        }
        return out.toString();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new TreeSet<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.matches("#{1,6} .*")) {
                String title = line.replaceFirst("#+ ", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
