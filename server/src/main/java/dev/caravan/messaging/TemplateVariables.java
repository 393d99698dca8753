package dev.caravan.messaging;

/**
 * Adds a top-level variable to every rendered template, computed for the message's customer; implemented by other
 * features (loyalty adds {@code loyalty.points}, {@code loyalty.benefits.*}...). Params of a send cannot override it.
 * Called on the sending thread for every message: keep it to a primary-key read.
 */
public interface TemplateVariables {

    /** The variable's name, e.g. {@code loyalty}. */
    String name();

    /** The value for this customer (maps, lists, strings, numbers, booleans), or null to leave it out. */
    Object forCustomer(String customerId);

    /** A sample value for previews without a customer, or null. */
    default Object sample() {
        return null;
    }
}
