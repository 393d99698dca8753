package dev.caravan.campaign;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomerService;
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
 * Hands due campaign sends to messaging ({@link MessageService#sendAll}, so consent, caps, quiet hours, idempotency and
 * channel policy all apply), within each campaign's throttle; decides A/B winners when the test window has passed
 * and schedules the rest of the audience with the winner; completes campaigns with nothing left to send. Records
 * message statuses and conversions on the sends for the per-variant statistics.
 */
@Component
class CampaignDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CampaignDispatcher.class);
    /** How long one scheduled tick may keep dispatching rounds of a large campaign. */
    private static final Duration TICK_BUDGET = Duration.ofMinutes(1);

    private final MongoTemplate mongo;
    private final MessageService messages;
    private final CustomerService customers;
    private final ObjectProvider<CouponIssuer> coupons;
    private final CampaignStats stats;
    private final CampaignProperties props;
    private final Clicks clicks;
    private final Clock clock;

    CampaignDispatcher(MongoTemplate mongo, MessageService messages, CustomerService customers,
                       ObjectProvider<CouponIssuer> coupons, CampaignStats stats, CampaignProperties props, Clicks clicks,
                       Clock clock) {
        this.mongo = mongo;
        this.messages = messages;
        this.customers = customers;
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

    /**
     * Rounds over every active campaign. While a campaign has more due sends than one round takes, the next round
     * follows as soon as messaging's hand-over backlog is below two rounds (so the outbox is fed as fast as it sends,
     * not one round per interval), for up to {@link #TICK_BUDGET}; then the next scheduled tick goes on.
     */
    synchronized void tick() {
        long deadline = System.nanoTime() + TICK_BUDGET.toNanos();
        boolean more = true;
        while (more) {
            more = false;
            for (Campaign c : mongo.find(Query.query(Criteria.where("status").in(Campaign.TESTING, Campaign.RUNNING)),
                    Campaign.class)) {
                try {
                    more |= process(c);
                } catch (RuntimeException e) {
                    log.warn("Campaign {} dispatch failed; retrying next round", c.id, e);
                }
            }
            more = more && roomForAnotherRound(deadline);
        }
    }

    private boolean roomForAnotherRound(long deadline) {
        while (messages.handOverBacklog() > 2 * props.dispatchBatch()) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return System.nanoTime() < deadline;
    }

    /** One round of one campaign; true when it took a full batch (more may be due). */
    private boolean process(Campaign c) {
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
            send(c, due, customers.getAll(due.stream().map(CampaignSend::customerId).toList()), now);
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
        return c.perHour == null && !due.isEmpty() && due.size() == budget;
    }

    /** One recipient of a round: what it is sent and, channel by channel, what became of it. */
    private static final class Recipient {
        final CampaignSend send;
        final Customer customer;
        String template;
        Map<String, Object> params;
        String reason;
        String sentOn;
        String messageId;
        String status;
        boolean refused;
        boolean done;

        Recipient(CampaignSend send, Customer customer) {
            this.send = send;
            this.customer = customer;
        }
    }

    /**
     * Sends a round's due recipients channel by channel, each channel's requests in one {@link MessageService#sendAll}:
     * a refused or failed channel falls back to the next one; in "first" mode a recipient stops at the first channel
     * that takes the message.
     */
    private void send(Campaign c, List<CampaignSend> due, Map<String, Customer> byId, Instant now) {
        BulkOperations marks = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, CampaignSend.class);
        List<Recipient> recipients = new ArrayList<>();
        for (CampaignSend s : due) {
            Customer customer = byId.get(s.customerId());
            if (customer == null) {
                mark(marks, s, new Update().set("state", "failed").set("reason", "customer_gone"));
            } else if (Suppressions.recentBuyer(c, customer, now)) {
                mark(marks, s, new Update().set("state", "suppressed").set("reason", "recent_buyer"));
            } else {
                recipients.add(prepare(c, new Recipient(s, customer)));
            }
        }
        for (String channel : c.channels) {
            List<Recipient> todo = recipients.stream().filter(r -> !r.done).toList();
            if (todo.isEmpty()) break;
            List<MessageService.Outcome> outcomes = messages.sendAll(todo.stream().map(r -> SendRequest.builder()
                    .customerId(r.customer.getId()).channel(channel).template(r.template).purpose("marketing")
                    .params(r.params).campaignId(c.id).source("campaign")
                    .idempotencyKey(IdempotencyKeys.campaign(r.customer.getId(), c.id, channel)).build()).toList(),
                    "campaign:" + c.id);
            for (int i = 0; i < todo.size(); i++) {
                record(c, todo.get(i), channel, outcomes.get(i));
            }
        }
        for (Recipient r : recipients) {
            Update u = new Update();
            if (r.sentOn != null) {
                u.set("state", "sent").set("channel", r.sentOn).set("messageId", r.messageId)
                        .set("sentAt", now);
                // a queued message's consumer records its status itself, possibly before this mark
                if (!"queued".equals(r.status)) u.set("messageStatus", r.status);
            } else {
                u.set("state", r.refused ? "suppressed" : "failed").set("reason", r.reason).set("messageId", r.messageId);
                if (r.refused && r.messageId != null) u.set("messageStatus", "suppressed");
            }
            mark(marks, r.send, u);
        }
        marks.execute();
    }

    /** The recipient's variant, template and parameters, with a coupon issued if the campaign has one. */
    private Recipient prepare(Campaign c, Recipient r) {
        Campaign.VariantSpec v = c.variants.stream().filter(x -> x.id().equals(r.send.variant())).findFirst()
                .orElse(c.variants.get(0));
        r.template = Audience.template(v.templates(), r.customer.getLanguage());
        r.params = new LinkedHashMap<>(v.params());
        r.params.put("campaign", Map.of("id", c.id, "name", c.name, "variant", v.id()));
        if (c.link != null) r.params.put("link", clicks.url(c, r.customer.getId()));
        try {
            if (c.couponDefinitionId != null) {
                CouponIssuer.IssuedCoupon coupon = coupons.getObject()
                        .issue(r.customer.getId(), c.couponDefinitionId, "campaign:" + c.id);
                Map<String, Object> cp = new LinkedHashMap<>();
                cp.put("code", coupon.code());
                if (coupon.description() != null) cp.put("description", coupon.description());
                if (coupon.expiresAt() != null) cp.put("expiresAt", coupon.expiresAt().toString());
                r.params.put("coupon", cp);
            }
        } catch (RuntimeException e) {
            r.reason = e.getMessage();
            r.done = true;
        }
        return r;
    }

    private static void record(Campaign c, Recipient r, String channel, MessageService.Outcome o) {
        if (o.error() != null) {
            r.reason = channel + ": " + o.error().getMessage();
            return;
        }
        SendResult result = o.result();
        if ("suppressed".equals(result.status())) {
            r.refused = true;
            r.reason = channel + ": " + (result.reason() == null ? "suppressed" : result.reason().code());
            if (r.messageId == null) r.messageId = result.messageId();
            return;
        }
        if (r.sentOn == null) {
            r.sentOn = channel;
            r.messageId = result.messageId();
            r.status = result.status();
        }
        if ("first".equals(c.channelMode)) r.done = true;
    }

    private static void mark(BulkOperations marks, CampaignSend s, Update u) {
        marks.updateOne(Query.query(Criteria.where("_id").is(s.id())), u);
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
        // A message's first status is recorded by the round that requested it (in its bulk mark): a consumer can
        // report "sent" before the round gets to report "queued", which must not overwrite it.
        if (e.campaignId() == null || e.customerId() == null || e.previousStatus() == null) return;
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
