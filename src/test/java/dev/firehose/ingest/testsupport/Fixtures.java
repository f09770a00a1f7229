package dev.firehose.ingest.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real-data fixtures are: {@code src/test/resources/fixtures} in this checkout (origin and licenses in its
 * {@code SOURCES.md}), or the folder named by {@code FIXTURES_DIR}, for trying other captures.
 */
public final class Fixtures {

    /** Relative to the project directory, which is the working directory of tests, benchmarks and scripts. */
    static final Path IN_REPOSITORY = Path.of("src", "test", "resources", "fixtures");

    private Fixtures() {
    }

    public static Path dir() {
        String override = System.getenv("FIXTURES_DIR");
        Path dir = override != null && !override.isBlank() ? Path.of(override) : IN_REPOSITORY;
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixtures not found at " + dir.toAbsolutePath()
                    + (override != null && !override.isBlank() ? " (FIXTURES_DIR)" : " (run from the project directory)"));
        }
        return dir;
    }

    public static Path repo(String name) {
        return dir().resolve("repos").resolve(name);
    }

    public static Path firehose(String name) {
        return dir().resolve("firehose").resolve(name);
    }

    public static Path interop(String name) {
        return dir().resolve("interop").resolve(name);
    }
}
