package dev.caravan.order;

import java.util.List;

/**
 * Domain event: the order events of one stored batch, in the order they happened, published once after their
 * individual events. For consumers that read and write per batch (one query for all the batch's customers) instead
 * of once per order.
 */
public record OrdersRecorded(List<OrderEvent> events, boolean live) {

    public OrdersRecorded {
        events = List.copyOf(events);
    }

    public List<OrderPlaced> placed() {
        return events.stream().filter(OrderPlaced.class::isInstance).map(OrderPlaced.class::cast).toList();
    }
}
