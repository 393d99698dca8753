package dev.caravan.messaging;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;

import dev.caravan.order.OrderPlaced;
import dev.caravan.order.OrdersRecorded;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.stereotype.Component;

/**
 * Attributes live orders to messages, last touch: the latest message that reached the customer (delivered or read;
 * for channels without receipts, accepted and not bounced) within {@code caravan.messaging.attribution.window}
 * before the order. Each order is attributed at most once ({@code message_conversions} is keyed by order); the message
 * counts the conversion and its revenue, and {@link MessageConversion} is published. Imported history is ignored.
 */
@Component
class ConversionAttributor {

    @Document("message_conversions")
    record Conversion(@MongoId(FieldType.STRING) String orderKey, String messageId, String customerId, String channel, String template,
                      String journeyId, String campaignId, java.math.BigDecimal totalBase, Instant placedAt,
                      Instant messageAt) {
    }

    private final MongoTemplate mongo;
    private final MessageHistories histories;
    private final OutboxStore store;
    private final MessagingProperties props;
    private final ApplicationEventPublisher events;

    ConversionAttributor(MongoTemplate mongo, MessageHistories histories, OutboxStore store, MessagingProperties props,
                         ApplicationEventPublisher events) {
        this.mongo = mongo;
        this.histories = histories;
        this.store = store;
        this.props = props;
        this.events = events;
    }

    /** The live orders of one batch; the customers' message histories are read with one query. */
    @EventListener
    void ordersRecorded(OrdersRecorded batch) {
        if (!batch.live()) return;
        List<OrderPlaced> orders = batch.placed().stream()
                .filter(o -> o.live() && o.customerId() != null && o.placedAt() != null).toList();
        if (orders.isEmpty()) return;
        Map<String, MessageHistories.History> byCustomer =
                histories.of(orders.stream().map(OrderPlaced::customerId).collect(Collectors.toSet()));
        for (OrderPlaced order : orders) {
            MessageHistories.History h = byCustomer.get(order.customerId());
            if (h != null) attribute(order, h);
        }
    }

    private void attribute(OrderPlaced order, MessageHistories.History history) {
        Instant from = order.placedAt().minus(props.attribution().window());
        List<String> candidates = history.recent().stream()
                .filter(r -> r.at() != null && !r.at().isAfter(order.placedAt()) && r.at().isAfter(from))
                .map(MessageHistories.Recent::m).toList();
        if (candidates.isEmpty()) return;
        Optional<OutboxMessage> touch = store.findAll(candidates).stream()
                .filter(m -> reached(m) && m.reachedAt() != null && !m.reachedAt().isAfter(order.placedAt()))
                .max(Comparator.comparing(OutboxMessage::reachedAt));
        if (touch.isEmpty()) return;
        OutboxMessage m = touch.get();
        Conversion c = new Conversion(order.orderKey(), m.getId(), order.customerId(), m.getChannel(), m.getTemplate(),
                m.getJourneyId(), m.getCampaignId(), order.totalBase(), order.placedAt(), m.reachedAt());
        try {
            mongo.insert(c);
        } catch (DuplicateKeyException e) {
            return; // attributed already
        }
        store.addConversion(m.getId(), order.totalBase());
        events.publishEvent(new MessageConversion(order.orderKey(), m.getId(), order.customerId(), m.getChannel(),
                m.getTemplate(), m.getJourneyId(), m.getCampaignId(), order.totalBase(), order.placedAt(), m.reachedAt()));
    }

    /** WhatsApp tells delivery; e-mail, marketplaces and inbox count once accepted (a later bounce undoes that). */
    private static boolean reached(OutboxMessage m) {
        MessageStatus s = m.status();
        if (m.channel() == Channel.WHATSAPP) return s == MessageStatus.DELIVERED || s == MessageStatus.READ;
        return s.reached();
    }
}
