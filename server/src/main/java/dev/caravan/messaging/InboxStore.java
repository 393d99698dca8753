package dev.caravan.messaging;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.caravan.integrations.channel.InboxMessage;
import dev.caravan.integrations.channel.InboxSink;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The in-site inbox: one document per customer (read by id) holding the newest messages for the storefront.
 * Delivery is idempotent: a message already in the inbox is not added again.
 */
@Component
class InboxStore implements InboxSink {

    static final int MAX_ITEMS = 200;

    /** One inbox message as the storefront shows it. */
    public record Item(String messageId, String title, String body, String link, String template, Instant createdAt,
                       Instant readAt) {
    }

    @Document("inboxes")
    record Inbox(@MongoId(FieldType.STRING) String customerId, List<Item> items) {
    }

    private final MongoTemplate mongo;
    private final Clock clock;

    InboxStore(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    @Override
    public void deliver(InboxMessage m) {
        Inbox inbox = mongo.findById(m.customerId(), Inbox.class);
        if (inbox != null && inbox.items().stream().anyMatch(i -> i.messageId().equals(m.messageId()))) {
            return;
        }
        Item item = new Item(m.messageId(), m.title(), m.body(), m.link(), m.template(), clock.instant(), null);
        mongo.upsert(Query.query(Criteria.where("_id").is(m.customerId())),
                new Update().push("items").slice(-MAX_ITEMS).each(item), Inbox.class);
    }

    List<Item> items(String customerId) {
        Inbox inbox = mongo.findById(customerId, Inbox.class);
        if (inbox == null || inbox.items() == null) return List.of();
        List<Item> items = new ArrayList<>(inbox.items());
        items.sort(Comparator.comparing(Item::createdAt).reversed());
        return items;
    }

    /** Marks an item read; false when it is not in the customer's inbox. */
    boolean markRead(String customerId, String messageId, Instant at) {
        Inbox inbox = mongo.findById(customerId, Inbox.class);
        if (inbox == null || inbox.items() == null) return false;
        List<Item> items = new ArrayList<>();
        boolean found = false;
        for (Item i : inbox.items()) {
            if (i.messageId().equals(messageId)) {
                found = true;
                items.add(i.readAt() != null ? i : new Item(i.messageId(), i.title(), i.body(), i.link(), i.template(),
                        i.createdAt(), at));
            } else {
                items.add(i);
            }
        }
        if (found) mongo.save(new Inbox(customerId, items));
        return found;
    }

    void reassign(String from, String to) {
        Inbox a = mongo.findById(from, Inbox.class);
        if (a == null) return;
        List<Item> items = new ArrayList<>(items(to));
        items.addAll(a.items());
        items.sort(Comparator.comparing(Item::createdAt));
        if (items.size() > MAX_ITEMS) items = items.subList(items.size() - MAX_ITEMS, items.size());
        mongo.save(new Inbox(to, items));
        mongo.remove(Query.query(Criteria.where("_id").is(from)), Inbox.class);
    }
}
