package dev.firehose.ingest.filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list kept in a text file, one entry a line, re-read when the file changes, so an operator edits it (or its
 * ConfigMap) without a restart. Blank lines and comments ({@code #} alone or followed by a space) are skipped;
 * {@code #followback} is an entry. Checked on access, at most once per interval: a stat of the file (through
 * symlinks, so a ConfigMap's {@code ..data} swap is seen), and a read only when its time, size or identity changed.
 * A file that cannot be read on a later check keeps the previous list (logged): an edit half-way is no reason to
 * let everything through.
 */
public final class ListFile {

    private static final Logger LOG = LoggerFactory.getLogger(ListFile.class);

    private record Version(Object modified, long size, Object fileKey) {
    }

    private final Path path;
    private final Function<String, String> normalize;
    private final long checkIntervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger reloads = new AtomicInteger();
    private volatile Set<String> entries;
    private volatile long nextCheck;
    private Version version;

    /**
     * Reads the file now; fails if it cannot.
     *
     * @param normalize applied to every trimmed entry (e.g. lower-casing)
     */
    public ListFile(Path path, Function<String, String> normalize, long checkIntervalMillis, LongSupplier nanoTime) {
        this.path = path;
        this.normalize = normalize;
        this.checkIntervalNanos = checkIntervalMillis * 1_000_000L;
        this.nanoTime = nanoTime;
        try {
            version = versionOf(path);
            entries = read(path, normalize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        nextCheck = nanoTime.getAsLong() + checkIntervalNanos;
        LOG.info("Loaded {} entries from {}", entries.size(), path);
    }

    public ListFile(Path path, Function<String, String> normalize, long checkIntervalMillis) {
        this(path, normalize, checkIntervalMillis, System::nanoTime);
    }

    /** The entries, re-read first if the interval has passed and the file changed. */
    public Set<String> entries() {
        if (nanoTime.getAsLong() - nextCheck >= 0) {
            reloadIfChanged();
        }
        return entries;
    }

    /** How many times a changed file was read again. */
    public int reloads() {
        return reloads.get();
    }

    public Path path() {
        return path;
    }

    private synchronized void reloadIfChanged() {
        long now = nanoTime.getAsLong();
        if (now - nextCheck < 0) {
            return; // another thread just checked
        }
        nextCheck = now + checkIntervalNanos;
        try {
            Version current = versionOf(path);
            if (current.equals(version)) {
                return;
            }
            entries = read(path, normalize);
            version = current;
            reloads.incrementAndGet();
            LOG.info("Reloaded {}: {} entries", path, entries.size());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot re-read {} ({}); keeping the previous {} entries", path, e.toString(), entries.size());
        }
    }

    private static Version versionOf(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new Version(attributes.lastModifiedTime(), attributes.size(), Objects.requireNonNullElse(
                attributes.fileKey(), ""));
    }

    private static Set<String> read(Path path, Function<String, String> normalize) throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String entry = line.strip();
            if (entry.isEmpty() || isComment(entry)) {
                continue;
            }
            out.add(normalize.apply(entry));
        }
        return Set.copyOf(out);
    }

    private static boolean isComment(String entry) {
        return entry.charAt(0) == '#' && (entry.length() == 1 || Character.isWhitespace(entry.charAt(1)));
    }
}
