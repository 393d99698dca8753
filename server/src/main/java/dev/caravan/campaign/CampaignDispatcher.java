package dev.caravan.campaign;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.common.store.ByIds;
import dev.caravan.customer.Customer;
import dev.caravan.messaging.IdempotencyKeys;
import dev.caravan.messaging.MessageConversion;
import dev.caravan.messaging.MessageService;
import dev.caravan.messaging.MessageStatusChanged;
import dev.caravan.messaging.SendRequest;
import dev.caravan.messaging.SendResult;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hands due campaign sends to messaging ({@link MessageService#send}, so consent, caps, quiet hours, idempotency and
 * channel policy all apply), within each campaign's throttle; decides A/B winners when the test window has passed
 * and schedules the rest of the audience with the winner; completes campaigns with nothing left to send. Records
 * message statuses and conversions on the sends for the per-variant statistics.
 */
@Component
class CampaignDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CampaignDispatcher.class);

    private final MongoTemplate mongo;
    private final MessageService messages;
    private final ObjectProvider<CouponIssuer> coupons;
    private final CampaignStats stats;
    private final CampaignProperties props;
    private final Clicks clicks;
    private final Clock clock;

    CampaignDispatcher(MongoTemplate mongo, MessageService messages, ObjectProvider<CouponIssuer> coupons,
                       CampaignStats stats, CampaignProperties props, Clicks clicks, Clock clock) {
        this.mongo = mongo;
        this.messages = messages;
        this.coupons = coupons;
        this.stats = stats;
        this.props = props;
        this.clicks = clicks;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${caravan.campaigns.dispatch-interval:5s}")
    @SchedulerLock(name = "campaign-dispatch")
    void scheduled() {
        tick();
    }

    /** One round over every active campaign. */
    synchronized void tick() {
        for (Campaign c : mongo.find(Query.query(Criteria.where("status").in(Campaign.TESTING, Campaign.RUNNING)), Campaign.class)) {
            try {
                process(c);
            } catch (RuntimeException e) {
                log.warn("Campaign {} dispatch failed; retrying next round", c.id, e);
            }
        }
    }

    private void process(Campaign c) {
        Instant now = clock.instant();
        if (Campaign.TESTING.equals(c.status) && c.testEndsAt != null && !now.isBefore(c.testEndsAt)) {
            decideWinner(c, now);
        }
        int budget = props.dispatchBatch();
        double tokens = c.tokens;
        if (c.perHour != null) {
            double elapsed = c.tokensAt == null ? 0 : Math.max(0, (now.toEpochMilli() - c.tokensAt.toEpochMilli()) / 1000.0);
            tokens = Math.min(c.perHour, tokens + c.perHour * elapsed / 3600.0);
            budget = (int) Math.min(budget, Math.floor(tokens));
        }
        List<CampaignSend> due = budget <= 0 ? List.of() : mongo.find(Query.query(Criteria.where("campaignId").is(c.id)
                .and("state").is("pending").and("dueAt").lte(now)).with(Sort.by("dueAt")).limit(budget), CampaignSend.class);
        if (!due.isEmpty()) {
            Map<String, Customer> customers = new HashMap<>();
            ByIds.find(mongo, due.stream().map(CampaignSend::customerId).toList(), Customer.class)
                    .forEach(x -> customers.put(x.getId(), x));
            for (CampaignSend s : due) {
                send(c, s, customers.get(s.customerId()), now);
            }
        }
        if (c.perHour != null) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(c.id)),
                    new Update().set("tokens", tokens - due.size()).set("tokensAt", now), Campaign.class);
        }
        if (Campaign.RUNNING.equals(c.status) && !mongo.exists(Query.query(Criteria.where("campaignId").is(c.id)
                .and("state").in("pending", "waiting")), CampaignSend.class)) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(c.id).and("status").is(Campaign.RUNNING)),
                    new Update().set("status", Campaign.COMPLETED).set("finishedAt", now), Campaign.class);
        }
    }

    private void send(Campaign c, CampaignSend s, Customer customer, Instant now) {
        Update u = new Update();
        if (customer == null) {
            mark(s, u.set("state", "failed").set("reason", "customer_gone"));
            return;
        }
        if (Suppressions.recentBuyer(c, customer, now)) {
            mark(s, u.set("state", "suppressed").set("reason", "recent_buyer"));
            return;
        }
        Campaign.VariantSpec v = c.variants.stream().filter(x -> x.id().equals(s.variant())).findFirst()
                .orElse(c.variants.get(0));
        String template = Audience.template(v.templates(), customer.getLanguage());
        Map<String, Object> params = new LinkedHashMap<>(v.params());
        params.put("campaign", Map.of("id", c.id, "name", c.name, "variant", v.id()));
        if (c.link != null) params.put("link", clicks.url(c, customer.getId()));
        String reason = null;
        String sentOn = null;
        String messageId = null;
        String status = null;
        boolean refused = false;
        try {
            if (c.couponDefinitionId != null) {
                CouponIssuer.IssuedCoupon coupon = coupons.getObject()
                        .issue(customer.getId(), c.couponDefinitionId, "campaign:" + c.id);
                Map<String, Object> cp = new LinkedHashMap<>();
                cp.put("code", coupon.code());
                if (coupon.description() != null) cp.put("description", coupon.description());
                if (coupon.expiresAt() != null) cp.put("expiresAt", coupon.expiresAt().toString());
                params.put("coupon", cp);
            }
            for (String channel : c.channels) {
                SendResult r;
                try {
                    r = messages.send(SendRequest.builder().customerId(customer.getId()).channel(channel).template(template)
                            .purpose("marketing").params(params).campaignId(c.id).source("campaign")
                            .idempotencyKey(IdempotencyKeys.campaign(customer.getId(), c.id, channel)).build(), "campaign:" + c.id);
                } catch (RuntimeException e) {
                    reason = channel + ": " + e.getMessage();
                    continue;
                }
                if ("suppressed".equals(r.status())) {
                    refused = true;
                    reason = channel + ": " + (r.reason() == null ? "suppressed" : r.reason().code());
                    if (messageId == null) messageId = r.messageId();
                    continue;
                }
                if (sentOn == null) {
                    sentOn = channel;
                    messageId = r.messageId();
                    status = r.status();
                }
                if ("first".equals(c.channelMode)) break;
            }
        } catch (RuntimeException e) {
            reason = e.getMessage();
        }
        if (sentOn != null) {
            u.set("state", "sent").set("channel", sentOn).set("messageId", messageId).set("messageStatus", status).set("sentAt", now);
        } else {
            u.set("state", refused ? "suppressed" : "failed")
                    .set("reason", reason).set("messageId", messageId);
        }
        mark(s, u);
    }

    private void mark(CampaignSend s, Update u) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(s.id())), u, CampaignSend.class);
    }

    /** The variant with the best rate on the campaign's metric goes to everyone still waiting. */
    void decideWinner(Campaign c, Instant now) {
        Map<String, CampaignStats.VariantStats> byVariant = new LinkedHashMap<>();
        stats.of(c).variants().forEach(v -> byVariant.put(v.variant(), v));
        String winner = null;
        double best = -1;
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Campaign.VariantSpec v : c.variants) {
            CampaignStats.VariantStats st = byVariant.get(v.id());
            double rate = st == null || st.sent() == 0 ? 0 : switch (c.metric) {
                case "click" -> (double) st.clicked() / st.sent();
                case "conversion" -> (double) st.converted() / st.sent();
                default -> (double) st.opened() / st.sent();
            };
            rates.put(v.id(), rate);
            if (rate > best) {
                best = rate;
                winner = v.id();
            }
        }
        Campaign won = mongo.findAndModify(Query.query(Criteria.where("_id").is(c.id).and("status").is(Campaign.TESTING)),
                new Update().set("status", Campaign.RUNNING).set("winner", winner).set("winnerDecidedAt", now)
                        .set("winnerMetric", rates), Campaign.class);
        if (won == null) return;
        c.status = Campaign.RUNNING;
        c.winner = winner;
        List<CampaignSend> waiting = mongo.find(Query.query(Criteria.where("campaignId").is(c.id).and("state").is("waiting")),
                CampaignSend.class);
        List<CampaignSend> chunk = new ArrayList<>();
        for (CampaignSend s : waiting) {
            chunk.add(s);
            if (chunk.size() == 1000) {
                schedule(c, chunk, winner, now);
                chunk.clear();
            }
        }
        schedule(c, chunk, winner, now);
        log.info("Campaign {}: variant {} won on {} ({}); {} more recipients", c.id, winner, c.metric, rates, waiting.size());
    }

    private void schedule(Campaign c, List<CampaignSend> sends, String winner, Instant now) {
        if (sends.isEmpty()) return;
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, CampaignSend.class);
        for (CampaignSend s : sends) {
            Instant due = Audience.due(c.schedule, ZoneId.of(s.zone()), now);
            bulk.updateOne(Query.query(Criteria.where("_id").is(s.id())),
                    new Update().set("variant", winner).set("state", "pending").set("dueAt", due));
        }
        bulk.execute();
    }

    @EventListener
    void on(MessageStatusChanged e) {
        if (e.campaignId() == null || e.customerId() == null) return;
        Update u = new Update().set("messageStatus", e.status());
        if (e.status().equals("delivered") || e.status().equals("read")) u.min("deliveredAt", e.at());
        if (e.status().equals("read")) u.min("openedAt", e.at());
        mongo.updateFirst(Query.query(Criteria.where("_id").is(CampaignSend.idOf(e.campaignId(), e.customerId()))), u,
                CampaignSend.class);
    }

    @EventListener
    void on(MessageConversion e) {
        if (e.campaignId() == null || e.customerId() == null) return;
        mongo.updateFirst(Query.query(Criteria.where("_id").is(CampaignSend.idOf(e.campaignId(), e.customerId()))),
                new Update().min("convertedAt", e.placedAt()).inc("revenue", e.totalBase() == null ? BigDecimal.ZERO : e.totalBase()),
                CampaignSend.class);
    }
}
