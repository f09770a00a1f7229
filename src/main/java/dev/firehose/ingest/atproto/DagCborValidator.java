package dev.firehose.ingest.atproto;

/**
 * The DAG-CBOR and atproto data-model rules Jackson's CBOR parser does not enforce, checked in one allocation-free
 * pass over the raw bytes: exactly one item; definite lengths only; text-string map keys only; well-formed UTF-8;
 * tag 42 only, wrapping a byte string {@code 0x00 ‖ binary CID}; simple values only false/true/null (no undefined);
 * no floats (the atproto data model has none, which also rules out NaN and Infinity); nesting within the limit.
 *
 * <p>Deliberately lenient on canonical form (key order, shortest integer heads): records are hashed as they
 * are, so a non-canonical but otherwise valid block is still readable. Duplicate keys are caught by {@link DagCbor}.
 */
final class DagCborValidator {

    private final byte[] b;
    private final int end;
    private final int maxDepth;
    private int pos;

    private DagCborValidator(byte[] b, int off, int end, int maxDepth) {
        this.b = b;
        this.pos = off;
        this.end = end;
        this.maxDepth = maxDepth;
    }

    static void validate(byte[] b, int off, int len, int maxDepth) throws DagCborException {
        DagCborValidator v = new DagCborValidator(b, off, off + len, maxDepth);
        v.item(1);
        if (v.pos != v.end) {
            throw new DagCborException("trailing bytes after the DAG-CBOR item at offset " + (v.pos - off));
        }
    }

    /** Checks one item; {@code depth} is the nesting depth a container here would have. */
    private void item(int depth) throws DagCborException {
        need(1);
        int ib = b[pos];
        int major = Cbor.major(ib);
        int ai = Cbor.additionalInfo(ib);
        if (major == Cbor.MAJOR_SIMPLE) {
            simple(ai);
            return;
        }
        long arg = head(ai);
        switch (major) {
            case Cbor.MAJOR_UNSIGNED, Cbor.MAJOR_NEGATIVE -> {
                // any 64-bit magnitude is a valid DAG-CBOR integer
            }
            case Cbor.MAJOR_BYTES -> pos += payload(arg);
            case Cbor.MAJOR_TEXT -> text(arg);
            case Cbor.MAJOR_ARRAY -> {
                enter(depth);
                long n = count(arg, 1);
                for (long i = 0; i < n; i++) {
                    item(depth + 1);
                }
            }
            case Cbor.MAJOR_MAP -> {
                enter(depth);
                long n = count(arg, 2);
                for (long i = 0; i < n; i++) {
                    key();
                    item(depth + 1);
                }
            }
            case Cbor.MAJOR_TAG -> link(arg);
            default -> throw new IllegalStateException("major type " + major);
        }
    }

    private void simple(int ai) throws DagCborException {
        switch (ai) {
            case 20, 21, 22 -> pos++; // false, true, null
            case 23 -> throw new DagCborException("undefined is not allowed in DAG-CBOR");
            case 25, 26 -> throw new DagCborException("floats are not allowed (and DAG-CBOR floats must be 64-bit)");
            case 27 -> {
                need(9);
                long bits = Cbor.argument(b, pos);
                double d = Double.longBitsToDouble(bits);
                throw new DagCborException(Double.isFinite(d)
                        ? "floats are not allowed in the atproto data model"
                        : "NaN and Infinity are not allowed in DAG-CBOR");
            }
            case Cbor.INDEFINITE -> throw new DagCborException("unexpected break: indefinite lengths are not allowed");
            default -> throw new DagCborException("simple value " + ai + " is not allowed in DAG-CBOR");
        }
    }

    /** Consumes the head at {@code pos} and returns its argument. */
    private long head(int ai) throws DagCborException {
        if (ai == Cbor.INDEFINITE) {
            throw new DagCborException("indefinite-length items are not allowed in DAG-CBOR");
        }
        int n = Cbor.headLength(ai);
        if (n < 0) {
            throw new DagCborException("reserved additional information " + ai);
        }
        need(n);
        long arg = Cbor.argument(b, pos);
        pos += n;
        return arg;
    }

    private void key() throws DagCborException {
        need(1);
        int ib = b[pos];
        if (Cbor.major(ib) != Cbor.MAJOR_TEXT) {
            throw new DagCborException("map keys must be text strings, found major type " + Cbor.major(ib));
        }
        text(head(Cbor.additionalInfo(ib)));
    }

    private void text(long length) throws DagCborException {
        int n = payload(length);
        if (!Utf8.isValid(b, pos, n)) {
            throw new DagCborException("invalid UTF-8 in a text string");
        }
        pos += n;
    }

    private void link(long tag) throws DagCborException {
        if (tag != Cbor.CID_TAG) {
            throw new DagCborException("tag " + Long.toUnsignedString(tag) + " is not allowed; DAG-CBOR only has tag 42");
        }
        need(1);
        int ib = b[pos];
        if (Cbor.major(ib) != Cbor.MAJOR_BYTES) {
            throw new DagCborException("tag 42 must wrap a byte string");
        }
        int n = payload(head(Cbor.additionalInfo(ib)));
        if (n < 2 || b[pos] != 0 || Cid.length(b, pos + 1, pos + n) != n - 1) {
            throw new DagCborException("tag 42 must wrap 0x00 followed by a binary CID");
        }
        pos += n;
    }

    private void enter(int depth) throws DagCborException {
        if (depth > maxDepth) {
            throw new DagCborException("nesting deeper than " + maxDepth, true, null);
        }
    }

    /** Length of a string payload, checked against the bytes left. */
    private int payload(long length) throws DagCborException {
        if (Long.compareUnsigned(length, end - pos) > 0) {
            throw new DagCborException("string of " + Long.toUnsignedString(length) + " bytes runs past the end");
        }
        return (int) length;
    }

    /** An item count, checked against the bytes left (each item takes at least one byte). */
    private long count(long n, int bytesPerEntry) throws DagCborException {
        if (Long.compareUnsigned(n, (end - pos) / bytesPerEntry) > 0) {
            throw new DagCborException("container of " + Long.toUnsignedString(n) + " entries runs past the end");
        }
        return n;
    }

    private void need(int n) throws DagCborException {
        if (end - pos < n) {
            throw new DagCborException("truncated DAG-CBOR");
        }
    }
}
