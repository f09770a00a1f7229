package dev.firehose.ingest.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The project's Dockerfile, read the way a builder reads it, as far as the deploy tests need: stages
 * ({@code FROM ... AS name}), and per stage its WORKDIR, COPY (with {@code --from}), ENV, USER, EXPOSE, and the
 * exec-form (JSON array) ENTRYPOINT, CMD and HEALTHCHECK CMD. Shell-form ENTRYPOINT/CMD are refused: they would
 * put a shell between the container runtime and the JVM (no SIGTERM to java).
 */
public final class Dockerfile {

    public record Copy(String from, List<String> sources, String destination) {
    }

    public static final class Stage {
        public final String image;
        public final String name;
        /** WORKDIR as set by the last WORKDIR instruction ("/" if none). */
        public String workdir = "/";
        public final List<Copy> copies = new ArrayList<>();
        /** ENV in order, later values replacing earlier ones. */
        public final Map<String, String> env = new LinkedHashMap<>();
        public String user;
        public final List<String> exposed = new ArrayList<>();
        public List<String> entrypoint = List.of();
        public List<String> cmd = List.of();
        public List<String> healthcheck = List.of();
        public final List<String> runs = new ArrayList<>();

        Stage(String image, String name) {
            this.image = image;
            this.name = name;
        }

        /** ENTRYPOINT followed by CMD, as the container runtime runs them. */
        public List<String> command() {
            List<String> all = new ArrayList<>(entrypoint);
            all.addAll(cmd);
            return all;
        }

        /** USER as uid (the part before ':'); numeric, as Kubernetes' runAsNonRoot check needs. */
        public long uid() {
            return Long.parseLong(user.split(":", 2)[0]);
        }

        /** USER's gid (after ':'), or the uid when absent. */
        public long gid() {
            String[] parts = user.split(":", 2);
            return Long.parseLong(parts.length == 2 ? parts[1] : parts[0]);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public final List<Stage> stages = new ArrayList<>();

    public static Dockerfile read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Dockerfile parse(String text) {
        Dockerfile dockerfile = new Dockerfile();
        for (String instruction : instructions(text)) {
            dockerfile.apply(instruction);
        }
        if (dockerfile.stages.isEmpty()) {
            throw new IllegalArgumentException("no FROM in the Dockerfile");
        }
        return dockerfile;
    }

    /** The last stage: what the image is. */
    public Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    public Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage named " + name));
    }

    /** Logical lines: comments and blank lines dropped, backslash continuations joined. */
    static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue; // comment lines inside a continuation are dropped too, as the builder does
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (current.length() > 0) {
                out.add(current.toString().strip());
            }
            current.setLength(0);
        }
        if (current.length() > 0) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private void apply(String instruction) {
        String[] split = instruction.split("\\s+", 2);
        String keyword = split[0].toUpperCase(Locale.ROOT);
        String rest = split.length > 1 ? split[1].strip() : "";
        if (keyword.equals("FROM")) {
            List<String> words = words(rest);
            words.removeIf(w -> w.startsWith("--"));
            String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
            stages.add(new Stage(words.get(0), name));
            return;
        }
        if (stages.isEmpty()) {
            if (keyword.equals("ARG")) {
                return;
            }
            throw new IllegalArgumentException(keyword + " before FROM");
        }
        Stage stage = stages.get(stages.size() - 1);
        switch (keyword) {
            case "WORKDIR" -> stage.workdir = rest.startsWith("/") ? rest : join(stage.workdir, rest);
            case "COPY" -> stage.copies.add(copy(rest));
            case "ENV" -> stage.env.putAll(env(rest));
            case "USER" -> stage.user = rest;
            case "EXPOSE" -> stage.exposed.addAll(words(rest));
            case "ENTRYPOINT" -> stage.entrypoint = execForm(keyword, rest);
            case "CMD" -> stage.cmd = execForm(keyword, rest);
            case "RUN" -> stage.runs.add(rest);
            case "HEALTHCHECK" -> {
                int cmd = rest.indexOf("CMD ");
                if (rest.equalsIgnoreCase("NONE")) {
                    stage.healthcheck = List.of();
                } else if (cmd < 0) {
                    throw new IllegalArgumentException("HEALTHCHECK without CMD: " + rest);
                } else {
                    stage.healthcheck = execForm(keyword, rest.substring(cmd + 4).strip());
                }
            }
            default -> {
                // LABEL, ARG, STOPSIGNAL, ... : not needed by the tests
            }
        }
    }

    private static Copy copy(String rest) {
        List<String> words = words(rest);
        String from = null;
        List<String> paths = new ArrayList<>();
        for (String w : words) {
            if (w.startsWith("--from=")) {
                from = w.substring("--from=".length());
            } else if (!w.startsWith("--")) {
                paths.add(w);
            }
        }
        if (paths.size() < 2) {
            throw new IllegalArgumentException("COPY needs a source and a destination: " + rest);
        }
        return new Copy(from, List.copyOf(paths.subList(0, paths.size() - 1)), paths.get(paths.size() - 1));
    }

    /** {@code ENV A=1 B="two words"} or the legacy {@code ENV A value with spaces}. */
    static Map<String, String> env(String rest) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> words = words(rest);
        if (!words.isEmpty() && !words.get(0).contains("=")) {
            String[] legacy = rest.split("\\s+", 2);
            out.put(legacy[0], legacy.length > 1 ? legacy[1] : "");
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("ENV word without '=': " + w);
            }
            out.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return out;
    }

    private static List<String> execForm(String keyword, String rest) {
        if (!rest.startsWith("[")) {
            throw new IllegalArgumentException(keyword + " must be in exec form (a JSON array): " + rest);
        }
        try {
            return JSON.readValue(rest, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException(keyword + " is not a JSON array of strings: " + rest, e);
        }
    }

    /** Shell-like words: whitespace-separated, double or single quotes group (and are removed), \ escapes. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in: " + text);
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    static String join(String dir, String child) {
        return dir.endsWith("/") ? dir + child : dir + "/" + child;
    }
}
