package dev.firehose.ingest.delivery;

import java.util.OptionalLong;

/** Where the cursor is kept between runs (a NATS key-value entry); used by one thread at a time. */
public interface CursorStore {

    /** The stored position, empty when none is stored. */
    OptionalLong load() throws Exception;

    /**
     * Stores {@code position}.
     *
     * @throws CursorConflictException when someone else wrote or deleted the key since our last read or write; the
     *                                 store is then ready for the next save
     */
    void save(long position) throws Exception;

    /**
     * Replaces the stored position, whatever it holds (an operator's decision, not progress): {@code position}, or
     * none for {@link DeliveryWatermark#NONE}.
     */
    void reset(long position) throws Exception;

    /** The {@code FIREHOSE_START_CURSOR} value applied last, if any. */
    java.util.Optional<String> appliedStartCursor() throws Exception;

    /** Records that {@code value} was applied (see {@link StartCursor}). */
    void recordStartCursor(String value) throws Exception;

    /** The key, for messages. */
    String key();
}
