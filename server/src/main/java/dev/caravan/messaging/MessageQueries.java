package dev.caravan.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.PageResponse;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/** Lists and statistics over the messages (back-office views, not the hot path). */
@Component
class MessageQueries {

    static final Set<String> GROUPS = Set.of("channel", "template", "journeyId", "campaignId", "purpose", "language");

    /** One row of {@code GET /api/v1/messages/stats}. Counts are cumulative: a read message was also sent. */
    public record StatsRow(Map<String, String> group, long total, long queued, long deferred, long suppressed,
                           long sent, long delivered, long read, long bounced, long failed, long conversions,
                           BigDecimal revenueBase, Double deliveryRate, Double readRate, Double conversionRate) {
    }

    private final MongoTemplate mongo;

    MessageQueries(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    PageResponse<MessageView> list(String customerId, String channel, String status, String template, String journeyId,
                                   String campaignId, int page, int size) {
        if (page < 0 || size < 1 || size > 500) throw new BadRequestException("page must be >= 0 and size 1..500");
        List<Criteria> and = new ArrayList<>();
        if (present(customerId)) and.add(Criteria.where("customerId").is(customerId));
        if (present(channel)) and.add(Criteria.where("channel").is(Channel.of(channel).id()));
        if (present(status)) and.add(Criteria.where("status").is(MessageStatus.of(status).name()));
        if (present(template)) and.add(Criteria.where("template").is(template));
        if (present(journeyId)) and.add(Criteria.where("journeyId").is(journeyId));
        if (present(campaignId)) and.add(Criteria.where("campaignId").is(campaignId));
        Query q = Query.query(and.isEmpty() ? new Criteria() : new Criteria().andOperator(and));
        long total = mongo.count(q, OutboxMessage.class);
        q.with(Sort.by(Sort.Direction.DESC, "createdAt").and(Sort.by("_id"))).skip((long) page * size).limit(size);
        return PageResponse.of(mongo.find(q, OutboxMessage.class).stream().map(MessageView::of).toList(), total, page, size);
    }

    List<StatsRow> stats(Instant from, Instant to, List<String> groupBy) {
        for (String g : groupBy) {
            if (!GROUPS.contains(g)) throw new BadRequestException("groupBy accepts " + GROUPS + ", not '" + g + "'");
        }
        Document match = new Document();
        Document range = new Document();
        if (from != null) range.append("$gte", java.util.Date.from(from));
        if (to != null) range.append("$lt", java.util.Date.from(to));
        if (!range.isEmpty()) match.append("createdAt", range);
        Document id = new Document();
        groupBy.forEach(g -> id.append(g, "$" + g));
        Document group = new Document("_id", id).append("total", new Document("$sum", 1))
                .append("queued", is("QUEUED")).append("deferred", is("DEFERRED")).append("suppressed", is("SUPPRESSED"))
                .append("sent", has("sentAt")).append("delivered", has("deliveredAt")).append("read", has("readAt"))
                .append("bounced", has("bouncedAt")).append("failed", is("FAILED"))
                .append("conversions", new Document("$sum", "$conversions"))
                .append("revenue", new Document("$sum", "$revenueBase"));
        List<Document> pipeline = List.of(new Document("$match", match), new Document("$group", group));
        List<StatsRow> rows = new ArrayList<>();
        for (Document d : mongo.getCollection("messages").aggregate(pipeline)) {
            Document key = d.get("_id", Document.class);
            Map<String, String> g = new LinkedHashMap<>();
            groupBy.forEach(name -> g.put(name, key == null ? null : key.getString(name)));
            long sent = num(d, "sent"), delivered = num(d, "delivered"), read = num(d, "read");
            long conversions = num(d, "conversions");
            Object revenue = d.get("revenue");
            BigDecimal rev = revenue instanceof Decimal128 dec ? dec.bigDecimalValue()
                    : revenue instanceof Number n ? new BigDecimal(n.toString()) : BigDecimal.ZERO;
            rows.add(new StatsRow(g, num(d, "total"), num(d, "queued"), num(d, "deferred"), num(d, "suppressed"), sent,
                    delivered, read, num(d, "bounced"), num(d, "failed"), conversions, rev,
                    ratio(delivered, sent), ratio(read, sent), ratio(conversions, sent)));
        }
        rows.sort(java.util.Comparator.comparing((StatsRow r) -> r.group().toString()));
        return rows;
    }

    private static Document is(String status) {
        return new Document("$sum", new Document("$cond", List.of(new Document("$eq", List.of("$status", status)), 1, 0)));
    }

    private static Document has(String field) {
        return new Document("$sum", new Document("$cond", List.of(new Document("$gt", java.util.Arrays.asList("$" + field, null)), 1, 0)));
    }

    private static long num(Document d, String f) {
        Object o = d.get(f);
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static Double ratio(long a, long b) {
        return b == 0 ? null : Math.round(10000.0 * a / b) / 10000.0;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
