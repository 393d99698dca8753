package dev.caravan.security;

import java.util.function.LongConsumer;

/**
 * Stored values sealed by {@link SecretBox} (encrypted fields, sealed credentials) that the key rotation job
 * ({@link KeyRotationService}) seals again under the current primary key. Features that store such values
 * declare one bean per collection; {@link EntityResealer} does the work for mapped documents with
 * {@link Encrypted} properties.
 */
public interface ResealTarget {

    /** Collection (or other store) name, for progress counters. */
    String name();

    /** Roughly how many documents {@link #reseal} will look at (for the progress percentage). */
    long estimate();

    /**
     * Seals every value that is not under the current primary key (or not encrypted yet) again.
     *
     * @param progress called with the number of documents looked at since the previous call
     * @return documents looked at and documents rewritten
     */
    Counts reseal(LongConsumer progress);

    record Counts(long documents, long rewritten) {
    }
}
