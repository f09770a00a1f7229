package dev.firehose.ingest.logging;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.firehose.ingest.config.Redaction;

/**
 * Masks text and exceptions with {@link Redaction}: the given secret values, plus URL user-info, NKey seeds and
 * PEM private keys wherever they are. Immutable; safe from any thread.
 */
public final class SecretMasker {

    private final List<String> secrets;

    /** @param secrets the values to mask, as {@link Redaction#maskable} prepares them */
    public SecretMasker(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    public String mask(String text) {
        return Redaction.text(text, secrets);
    }

    /**
     * The exception itself when no message in its chain (causes and suppressed, recursively) holds a secret;
     * otherwise a copy of the whole chain as {@link MaskedThrowable}s with the masked messages and the original
     * stack frames. (A throwable's message cannot be changed, and its cause only set once.)
     */
    public Throwable mask(Throwable thrown) {
        if (thrown == null || !needsMasking(thrown, Collections.newSetFromMap(new IdentityHashMap<>()))) {
            return thrown;
        }
        return copy(thrown, new IdentityHashMap<>());
    }

    private boolean needsMasking(Throwable t, Set<Throwable> seen) {
        if (!seen.add(t)) {
            return false;
        }
        String text = describe(t);
        if (!text.equals(mask(text))) {
            return true;
        }
        if (t.getCause() != null && needsMasking(t.getCause(), seen)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (needsMasking(suppressed, seen)) {
                return true;
            }
        }
        return false;
    }

    private Throwable copy(Throwable t, Map<Throwable, Throwable> copies) {
        Throwable done = copies.get(t);
        if (done != null) {
            return done; // a cycle, or a throwable seen twice: the first copy stands for it
        }
        MaskedThrowable copy = new MaskedThrowable(mask(describe(t)));
        copies.put(t, copy);
        copy.setStackTrace(t.getStackTrace());
        if (t.getCause() != null) {
            copy.initCause(copy(t.getCause(), copies));
        }
        for (Throwable suppressed : t.getSuppressed()) {
            copy.addSuppressed(copy(suppressed, copies));
        }
        return copy;
    }

    /** What a stack trace prints for it: the class name and message (its toString), or the class name alone. */
    private static String describe(Throwable t) {
        String text;
        try {
            text = t.toString();
        } catch (RuntimeException e) {
            text = null;
        }
        return text == null ? t.getClass().getName() : text;
    }
}
