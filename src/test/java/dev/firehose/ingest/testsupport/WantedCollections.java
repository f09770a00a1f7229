package dev.firehose.ingest.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Jetstream v1's {@code wantedCollections} filter, as its {@code internal/subscribe/filter.go} describes it: each value
 * a full collection NSID or a prefix ending in {@code .*} ({@code app.bsky.graph.*}, the head not checked); at most
 * 100 distinct values; no values = every collection. It filters commits only: identity and account events always pass.
 */
final class WantedCollections {

    static final int MAX = 100;
    /** NSID syntax: a reversed domain of two or more segments, then a name segment starting with a letter. */
    private static final Pattern NSID = Pattern.compile(
            "[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+\\.[a-zA-Z][a-zA-Z0-9]{0,62}");

    private final Set<String> fullNames;
    private final List<String> prefixes;

    private WantedCollections(Set<String> fullNames, List<String> prefixes) {
        this.fullNames = fullNames;
        this.prefixes = prefixes;
    }

    /** The filter, or null if a value is neither an NSID nor a {@code prefix.*}, or there are too many. */
    static WantedCollections parse(List<String> values) {
        Set<String> full = new LinkedHashSet<>();
        Set<String> prefixes = new LinkedHashSet<>();
        for (String value : values) {
            if (value.endsWith(".*")) {
                prefixes.add(value.substring(0, value.length() - 1)); // keeps the dot: "app.bsky.graph."
            } else if (value.length() <= 317 && NSID.matcher(value).matches()) {
                full.add(value);
            } else {
                return null;
            }
        }
        if (full.size() + prefixes.size() > MAX) {
            return null;
        }
        return new WantedCollections(full, new ArrayList<>(prefixes));
    }

    boolean wants(JetstreamWireEvent event) {
        if (!event.isCommit() || (fullNames.isEmpty() && prefixes.isEmpty())) {
            return true;
        }
        String collection = event.collection();
        if (fullNames.contains(collection)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (collection.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
