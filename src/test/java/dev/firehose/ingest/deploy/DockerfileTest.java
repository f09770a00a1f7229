package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Dockerfile's shape: what the image holds and how it starts (ImageLayoutIT then runs that layout). */
class DockerfileTest {

    private final Dockerfile dockerfile = Dockerfile.read(Manifests.PROJECT.resolve("Dockerfile"));

    @Test
    void parsesInstructionsAsABuilderDoes() {
        Dockerfile parsed = Dockerfile.parse("""
                # comment
                FROM a:1 AS one
                WORKDIR /w
                WORKDIR sub
                ENV A=1 B="two words" \\
                    C='x y'
                ENV LEGACY some value
                COPY --from=one --chown=1:1 x y /dest/
                USER 7:8
                ENTRYPOINT ["java", "-jar", "/app/x.jar"]
                CMD ["--flag"]
                HEALTHCHECK --interval=5s CMD ["true"]
                """);
        Dockerfile.Stage s = parsed.stage("one");
        assertThat(s.workdir).isEqualTo("/w/sub");
        assertThat(s.env).containsEntry("A", "1").containsEntry("B", "two words").containsEntry("C", "x y")
                .containsEntry("LEGACY", "some value");
        assertThat(s.copies).containsExactly(new Dockerfile.Copy("one", List.of("x", "y"), "/dest/"));
        assertThat(s.uid()).isEqualTo(7);
        assertThat(s.gid()).isEqualTo(8);
        assertThat(s.command()).containsExactly("java", "-jar", "/app/x.jar", "--flag");
        assertThat(s.healthcheck).containsExactly("true");
    }

    @Test
    void twoStagesOnTheAgreedBaseImages() {
        assertThat(dockerfile.stages).hasSize(2);
        assertThat(dockerfile.stages.get(0).image).isEqualTo("maven:3.9-eclipse-temurin-17");
        assertThat(dockerfile.stages.get(0).name).isEqualTo("build");
        assertThat(dockerfile.runtime().image).isEqualTo("eclipse-temurin:17-jre");
    }

    @Test
    void buildStageResolvesDependenciesBeforeTheSourcesArrive() {
        Dockerfile.Stage build = dockerfile.stage("build");
        assertThat(build.copies).extracting(Dockerfile.Copy::sources)
                .containsExactly(List.of("pom.xml"), List.of("src"));
        String text = Manifests.read(Manifests.PROJECT.resolve("Dockerfile"));
        int pom = text.indexOf("COPY pom.xml");
        int resolve = text.indexOf("dependency:go-offline");
        int src = text.indexOf("COPY src");
        assertThat(pom).isPositive().isLessThan(resolve);
        assertThat(resolve).isLessThan(src);
        assertThat(build.runs).anyMatch(r -> r.contains("mvn") && r.contains("-DskipTests") && r.contains("package"));
    }

    @Test
    void runtimeImageHoldsTheJarItsLibTheRoutesAndTheLauncherOnly() {
        Dockerfile.Stage runtime = dockerfile.runtime();
        String buildDir = dockerfile.stage("build").workdir;
        assertThat(runtime.workdir).isEqualTo("/app");
        for (Dockerfile.Copy copy : runtime.copies) {
            if (copy.from() != null) {
                assertThat(copy.from()).isEqualTo("build");
                assertThat(copy.sources()).allMatch(s -> s.startsWith(buildDir + "/target/"),
                        "only build output from the build stage");
            } else {
                assertThat(copy.sources()).hasSize(1).first().isIn("routes/", "bin/");
            }
        }
        assertThat(runtime.copies).extracting(Dockerfile.Copy::destination)
                .containsExactlyInAnyOrder("/app/lib/", "/app/nats-firehose-ingest.jar", "/app/routes/", "/app/bin/");
        assertThat(runtime.runs).noneMatch(r -> r.contains("mvn") || r.contains("apt-get"));
        assertThat(runtime.runs).as("the class-data archive is made in the image it runs in")
                .anyMatch(r -> r.contains("/app/bin/nats-firehose-ingest --cds-train"));
    }

    @Test
    void startsTheJvmDirectlyAsANonRootUserSizedForTheContainer() {
        Dockerfile.Stage runtime = dockerfile.runtime();
        assertThat(runtime.user).as("numeric UID:GID, so runAsNonRoot can be verified").matches("\\d+:\\d+");
        assertThat(runtime.uid()).isGreaterThanOrEqualTo(10000);
        assertThat(runtime.command()).containsExactly("/app/bin/nats-firehose-ingest");
        assertThat(runtime.env).as("the JVM settings are the launcher's, overridable by JAVA_OPTS")
                .doesNotContainKey("JAVA_TOOL_OPTIONS");
        assertThat(Launcher.defaults()).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Xmx");
        assertThat(runtime.exposed).containsExactly("8080");
        assertThat(runtime.healthcheck).hasSizeGreaterThan(1);
        assertThat(String.join(" ", runtime.healthcheck)).contains("/health ", "HEALTH_CHECK_PORT");
    }

    @Test
    void dockerignoreKeepsWhatTheCopiesNeedAndDropsTheRest() throws IOException {
        List<String> patterns = Files.readAllLines(Manifests.PROJECT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> contextSources = new ArrayList<>();
        for (Dockerfile.Stage stage : dockerfile.stages) {
            stage.copies.stream().filter(c -> c.from() == null).forEach(c -> contextSources.addAll(c.sources()));
        }
        assertThat(contextSources).contains("pom.xml", "src", "routes/", "bin/");
        for (String source : contextSources) {
            assertThat(ignored(patterns, source.replaceFirst("/$", ""))).as(source + " in the context").isFalse();
        }
        assertThat(ignored(patterns, "src/main/java/dev/firehose/ingest/Application.java")).isFalse();
        assertThat(ignored(patterns, "routes/relay.yaml")).isFalse();
        for (String out : List.of("target", "target/nats-firehose-ingest.jar", ".git", "k8s", "bench/out")) {
            assertThat(ignored(patterns, out)).as(out + " out of the context").isTrue();
        }
    }

    /** Docker's rule: the last pattern matching the path or one of its parent directories decides. */
    static boolean ignored(List<String> patterns, String path) {
        boolean ignored = false;
        for (String raw : patterns) {
            boolean negated = raw.startsWith("!");
            String pattern = (negated ? raw.substring(1) : raw).replaceFirst("^/", "").replaceFirst("/$", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            Path p = Path.of(path);
            for (int i = 1; i <= p.getNameCount(); i++) {
                if (matcher.matches(p.subpath(0, i))) {
                    ignored = !negated;
                    break;
                }
            }
        }
        return ignored;
    }
}
