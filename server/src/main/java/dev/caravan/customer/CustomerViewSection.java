package dev.caravan.customer;

/**
 * One section of the customer 360 view (orders, returns, interactions, later points, journeys, messages...),
 * contributed by the feature that owns that data so the customer feature does not depend on them.
 */
public interface CustomerViewSection {

    /** The JSON property name of the section in {@code GET /api/v1/customers/{id}}. */
    String name();

    Object forCustomer(String customerId);
}
