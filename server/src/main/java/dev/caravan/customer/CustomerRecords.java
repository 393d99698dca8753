package dev.caravan.customer;

import java.util.Collection;

/**
 * Implemented by every feature that stores records pointing at a customer (orders, events, interactions...),
 * so merges and unmerges move those records without the customer feature knowing them.
 */
public interface CustomerRecords {

    /** Re-point every record of {@code fromCustomerId} to {@code toCustomerId}. */
    void reassign(String fromCustomerId, String toCustomerId);

    /** Re-point the records of {@code fromCustomerId} that arrived with one of these identity keys. */
    void reassignByIdentity(String fromCustomerId, Collection<String> identityKeys, String toCustomerId);
}
