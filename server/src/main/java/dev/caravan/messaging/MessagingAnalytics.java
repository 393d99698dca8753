package dev.caravan.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import com.mongodb.client.model.Projections;
import dev.caravan.analytics.EngagementTimes;
import dev.caravan.analytics.JourneyStatsSource;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * What analytics reads from messaging: per journey step / campaign variant and channel, the sends and their outcomes
 * (journey report), and when customers read messages (best send hour). Analytics defines the ports and must not
 * depend on messaging, so the adapters live here.
 */
@Component
class MessagingAnalytics implements JourneyStatsSource, EngagementTimes {

    private final MongoTemplate mongo;

    MessagingAnalytics(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Messages created in [from, to) that left the outbox, grouped by journey (or campaign), step, channel, variant. */
    @Override
    public List<Row> stats(Instant from, Instant to) {
        Document range = new Document();
        if (from != null) range.append("$gte", Date.from(from));
        if (to != null) range.append("$lt", Date.from(to));
        Document match = new Document("sentAt", new Document("$ne", null))
                .append("$or", List.of(new Document("journeyId", new Document("$ne", null)),
                        new Document("campaignId", new Document("$ne", null))));
        if (!range.isEmpty()) match.append("createdAt", range);
        Document id = new Document("journeyId", "$journeyId").append("campaignId", "$campaignId")
                .append("stepId", "$stepId").append("channel", "$channel").append("variant", "$params.campaign.variant");
        Document group = new Document("_id", id).append("sent", new Document("$sum", 1))
                .append("delivered", has("deliveredAt")).append("read", has("readAt"))
                .append("converted", new Document("$sum", "$conversions"))
                .append("revenue", new Document("$sum", "$revenueBase"));
        List<Row> rows = new ArrayList<>();
        for (Document d : mongo.getCollection("messages")
                .aggregate(List.of(new Document("$match", match), new Document("$group", group)))) {
            Document k = d.get("_id", Document.class);
            String journey = k.getString("journeyId") != null ? k.getString("journeyId") : "campaign:" + k.getString("campaignId");
            Object variant = k.get("variant");
            rows.add(new Row(journey, k.getString("stepId"), k.getString("channel"),
                    variant == null ? null : variant.toString(), num(d, "sent"), num(d, "delivered"), num(d, "read"),
                    0, num(d, "converted"), money(d.get("revenue"))));
        }
        return rows;
    }

    /** Read times of messages (a scan of read messages; filtered by the customers asked about). */
    @Override
    public void forEach(Collection<String> customerIds, BiConsumer<String, Instant> sink) {
        Set<String> wanted = customerIds == null ? null : new HashSet<>(customerIds);
        for (Document d : mongo.getCollection("messages").find(new Document("readAt", new Document("$ne", null)))
                .projection(Projections.include("customerId", "readAt"))) {
            String customer = d.getString("customerId");
            if (wanted != null && !wanted.contains(customer)) continue;
            Date at = d.getDate("readAt");
            if (at != null) sink.accept(customer, at.toInstant());
        }
    }

    private static Document has(String field) {
        return new Document("$sum", new Document("$cond",
                List.of(new Document("$gt", java.util.Arrays.asList("$" + field, null)), 1, 0)));
    }

    private static long num(Document d, String f) {
        return d.get(f) instanceof Number n ? n.longValue() : 0;
    }

    private static double money(Object o) {
        if (o instanceof Decimal128 dec) return dec.bigDecimalValue().doubleValue();
        if (o instanceof Number n) return new BigDecimal(n.toString()).doubleValue();
        return 0;
    }
}
