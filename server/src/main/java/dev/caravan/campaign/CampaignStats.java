package dev.caravan.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/** Counts per variant from the campaign's sends (a back-office read: one pass over the campaign's sends). */
@Component
class CampaignStats {

    /**
     * @param recipients everyone assigned to the variant (the rest group counts under its winner once decided,
     *                   under {@code rest} before)
     * @param sent       handed to messaging and queued or deferred there
     * @param suppressed left out by the campaign's suppression or refused by messaging (see {@code reasons})
     * @param opened     read receipts (inbox, WhatsApp); e-mail has none
     */
    record VariantStats(String variant, long recipients, long pending, long sent, long suppressed, long failed,
                        long cancelled, long delivered, long opened, long clicked, long converted, BigDecimal revenue,
                        Double openRate, Double clickRate, Double conversionRate, Map<String, Long> reasons) {
    }

    record Stats(String campaignId, String status, String winner, Map<String, Double> winnerMetric,
                 List<VariantStats> variants, VariantStats total) {
    }

    private final MongoTemplate mongo;

    CampaignStats(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    Stats of(Campaign c) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> revenue = new LinkedHashMap<>();
        Map<String, Map<String, Long>> reasons = new LinkedHashMap<>();
        c.variants.forEach(v -> counts.put(v.id(), new long[10]));
        try (var stream = mongo.stream(Query.query(Criteria.where("campaignId").is(c.id)), CampaignSend.class)) {
            stream.forEach(s -> {
                String key = s.variant() != null ? s.variant() : "rest".equals(s.group()) ? "rest" : "none";
                long[] n = counts.computeIfAbsent(key, k -> new long[10]);
                n[0]++;
                switch (s.state()) {
                    case "pending", "waiting" -> n[1]++;
                    case "sent" -> n[2]++;
                    case "suppressed" -> n[3]++;
                    case "failed" -> n[4]++;
                    case "cancelled" -> n[5]++;
                    default -> { }
                }
                if (s.deliveredAt() != null) n[6]++;
                if (s.openedAt() != null) n[7]++;
                if (s.clickedAt() != null) n[8]++;
                if (s.convertedAt() != null) n[9]++;
                if (s.revenue() != null) revenue.merge(key, s.revenue(), BigDecimal::add);
                if (s.reason() != null) reasons.computeIfAbsent(key, k -> new TreeMap<>()).merge(s.reason(), 1L, Long::sum);
            });
        }
        List<VariantStats> out = new ArrayList<>();
        long[] total = new long[10];
        BigDecimal totalRevenue = BigDecimal.ZERO;
        Map<String, Long> totalReasons = new TreeMap<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            out.add(row(e.getKey(), e.getValue(), revenue.getOrDefault(e.getKey(), BigDecimal.ZERO),
                    reasons.getOrDefault(e.getKey(), Map.of())));
            for (int i = 0; i < 10; i++) total[i] += e.getValue()[i];
            totalRevenue = totalRevenue.add(revenue.getOrDefault(e.getKey(), BigDecimal.ZERO));
            reasons.getOrDefault(e.getKey(), Map.of()).forEach((k, v) -> totalReasons.merge(k, v, Long::sum));
        }
        return new Stats(c.id, c.status, c.winner, c.winnerMetric, out, row("total", total, totalRevenue, totalReasons));
    }

    private static VariantStats row(String variant, long[] n, BigDecimal revenue, Map<String, Long> reasons) {
        return new VariantStats(variant, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], revenue,
                rate(n[7], n[2]), rate(n[8], n[2]), rate(n[9], n[2]), reasons);
    }

    private static Double rate(long a, long b) {
        return b == 0 ? null : Math.round(10000.0 * a / b) / 10000.0;
    }
}
