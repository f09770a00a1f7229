package dev.firehose.ingest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The defaults the service ships with: every {@code key = {{env:NAME:default}}} of application.properties. */
public final class ShippedProperties {

    private static final Pattern ENV_DEFAULT = Pattern.compile("^([\\w.-]+) = \\{\\{env:(\\w+):(.*)}}$");

    private ShippedProperties() {
    }

    /** Property key to its default value. */
    public static Map<String, String> defaults() {
        return parse().defaults;
    }

    /** Property key to the environment variable that sets it. */
    public static Map<String, String> variables() {
        return parse().variables;
    }

    private record Parsed(Map<String, String> defaults, Map<String, String> variables) {
    }

    private static Parsed parse() {
        Map<String, String> defaults = new HashMap<>();
        Map<String, String> variables = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
                Matcher m = ENV_DEFAULT.matcher(line.strip());
                if (m.matches()) {
                    defaults.put(m.group(1), m.group(3));
                    variables.put(m.group(1), m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Parsed(defaults, variables);
    }
}
