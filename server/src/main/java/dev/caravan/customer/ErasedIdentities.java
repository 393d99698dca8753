package dev.caravan.customer;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Tombstones of erased people, consulted by ingestion before a record may create or update a customer (implemented
 * by the privacy feature; absent, nothing is blocked). Identity keys are compared by keyed hash, never stored in
 * plain text.
 */
public interface ErasedIdentities {

    /**
     * Which of these identity keys (or customer ids) belong to an erased person, with the erasure time; keys not
     * erased are absent. One store round trip for the whole collection.
     */
    Map<String, Instant> erased(Collection<String> identityKeysOrCustomerIds);

    /** The person came back (a new order with consent): forget these keys' tombstones. */
    void release(Collection<String> identityKeys, String reason);
}
