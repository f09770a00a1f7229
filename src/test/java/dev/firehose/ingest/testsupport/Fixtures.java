package dev.firehose.ingest.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared real-data fixtures are: {@code ../shared/fixtures} beside the checkout, or {@code FIXTURES_DIR}. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir() {
        String override = System.getenv("FIXTURES_DIR");
        Path dir = override != null && !override.isBlank()
                ? Path.of(override)
                : Path.of("..", "shared", "fixtures");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixtures not found at " + dir.toAbsolutePath()
                    + " (set FIXTURES_DIR to the shared fixtures folder)");
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
