package dev.caravan.order;

/** The order feature's domain events: what a batch listener receives in {@link OrdersRecorded}. */
public sealed interface OrderEvent permits OrderPlaced, OrderStatusChanged, OrderRefunded {

    String customerId();

    boolean live();
}
