package dev.firehose.ingest.atproto;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies the caps of {@link PostFieldCaps} while one record is mapped and remembers every adjustment, one
 * {@link FieldProblem} per field and reason (with the count of values), not one per value: a record with 50 000
 * bogus facets makes three problems, not 50 000.
 */
final class FieldBounds {

    static final Predicate<String> ANY = s -> true;

    private final List<FieldProblem> problems = new ArrayList<>(0);

    /** {@code value} if within {@code maxBytes} and of the right syntax; else null, reported. Null stays null. */
    String value(String field, String value, int maxBytes, Predicate<String> syntax) {
        if (value == null) {
            return null;
        }
        FieldProblem.Reason wrong = check(value, maxBytes, syntax);
        if (wrong != null) {
            report(field, wrong, 1);
            return null;
        }
        return value;
    }

    /** A list filled value by value, keeping at most {@code maxItems} good values (the first ones). */
    Values values(String field, int maxItems, int maxBytes, Predicate<String> syntax) {
        return new Values(field, maxItems, maxBytes, syntax, false);
    }

    /** As {@link #values}, but an exact repeat of a value already taken is skipped silently (tags). */
    Values distinctValues(String field, int maxItems, int maxBytes, Predicate<String> syntax) {
        return new Values(field, maxItems, maxBytes, syntax, true);
    }

    /** Adjustments made so far, with no path yet (the same record may be posted under several record keys). */
    List<FieldProblem> problems() {
        return problems.isEmpty() ? List.of() : List.copyOf(problems);
    }

    private static FieldProblem.Reason check(String value, int maxBytes, Predicate<String> syntax) {
        int bytes = Utf8.encodedLength(value, maxBytes);
        if (bytes > maxBytes) {
            return FieldProblem.Reason.TOO_LONG;
        }
        return bytes < 0 || !syntax.test(value) ? FieldProblem.Reason.INVALID : null;
    }

    private void report(String field, FieldProblem.Reason reason, int values) {
        if (values > 0) {
            problems.add(new FieldProblem(null, field, reason, values));
        }
    }

    /** One list field being filled. */
    final class Values {
        private final String field;
        private final int maxItems;
        private final int maxBytes;
        private final Predicate<String> syntax;
        private final boolean distinct;
        private Set<String> seen; // of the values taken, made on the first (most posts have no tags)
        private final List<String> kept = new ArrayList<>(1);
        private int tooLong;
        private int invalid;
        private int tooMany;

        private Values(String field, int maxItems, int maxBytes, Predicate<String> syntax, boolean distinct) {
            this.field = field;
            this.maxItems = maxItems;
            this.maxBytes = maxBytes;
            this.syntax = syntax;
            this.distinct = distinct;
        }

        void add(String value) {
            FieldProblem.Reason wrong = check(value, maxBytes, syntax);
            if (wrong == FieldProblem.Reason.TOO_LONG) {
                tooLong++;
            } else if (wrong != null) {
                invalid++;
            } else if (distinct && !firstTime(value)) {
                return; // a repeat: not published twice, not an adjustment either
            } else if (kept.size() < maxItems) {
                kept.add(value);
            } else {
                tooMany++;
            }
        }

        private boolean firstTime(String value) {
            if (seen == null) {
                seen = new HashSet<>();
            }
            return seen.add(value);
        }

        /** The kept values; reports what was dropped. Call once. */
        List<String> finish() {
            report(field, FieldProblem.Reason.TOO_LONG, tooLong);
            report(field, FieldProblem.Reason.INVALID, invalid);
            report(field, FieldProblem.Reason.TOO_MANY, tooMany);
            return kept;
        }
    }
}
