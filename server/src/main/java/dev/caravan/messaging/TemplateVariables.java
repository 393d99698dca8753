package dev.caravan.messaging;

/**
 * Adds a top-level variable to every rendered template, computed for the message's customer; implemented by other
 * features (loyalty adds {@code loyalty.points}, {@code loyalty.benefits.*}...). Params of a send cannot override it.
 * Called on the sending thread for every message whose template names the variable: keep it to a primary-key read.
 */
public interface TemplateVariables {

    /** The variable's name, e.g. {@code loyalty}. */
    String name();

    /** The value for this customer (maps, lists, strings, numbers, booleans), or null to leave it out. */
    Object forCustomer(String customerId);

    /**
     * As {@link #forCustomer(String)}, given the customer document the message is being sent with (read once per
     * message): override to use its fields instead of reading the customer again.
     */
    default Object forCustomer(dev.caravan.customer.Customer customer) {
        return forCustomer(customer.getId());
    }

    /** A sample value for previews without a customer, or null. */
    default Object sample() {
        return null;
    }
}
