package dev.caravan.loyalty;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.caravan.activity.ActivitiesRecorded;
import dev.caravan.activity.ActivityRecorded;
import dev.caravan.activity.Interaction;
import dev.caravan.loyalty.coupon.Attribution;
import dev.caravan.loyalty.coupon.CouponIssued;
import dev.caravan.loyalty.coupon.CouponService;
import dev.caravan.order.OrderEvent;
import dev.caravan.order.OrderPlaced;
import dev.caravan.order.OrderRefunded;
import dev.caravan.order.OrderStatusChanged;
import dev.caravan.order.OrdersRecorded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Turns domain events into loyalty writes, on the publishing thread (the plain orders of one ingested batch with one
 * read and one bulk write; other events each a primary-key read, a rule session and one compare-and-set): an order
 * redeems the coupon codes it quotes, then earns points; a cancellation, a status {@code refunded} and a
 * refund/return invoice take points back; a review earns the review bonus; a sign-up naming
 * {@code properties.referredBy} (the referrer's customer id) earns the referrer the referral bonus; an issued coupon
 * is listed on the holder's account. A failing write never fails ingestion: the event is parked in
 * {@code loyalty_retries} and retried every minute (every write is idempotent).
 */
@Component
class LoyaltyListener {

    private static final Logger log = LoggerFactory.getLogger(LoyaltyListener.class);
    static final int MAX_ATTEMPTS = 20;

    /** An event whose loyalty write failed, retried by {@link #retry()}. */
    @Document("loyalty_retries")
    record Retry(@MongoId(FieldType.STRING) String id, Object event, int attempts, String error, Instant at) {
    }

    private final PointsService points;
    private final CouponService coupons;
    private final LoyaltyAccounts accounts;
    private final LoyaltyProperties props;
    private final MongoTemplate mongo;
    private final Clock clock;

    LoyaltyListener(PointsService points, CouponService coupons, LoyaltyAccounts accounts, LoyaltyProperties props,
                    MongoTemplate mongo, Clock clock) {
        this.points = points;
        this.coupons = coupons;
        this.accounts = accounts;
        this.props = props;
        this.mongo = mongo;
        this.clock = clock;
    }

    /**
     * A batch's order events: orders without coupons earn together (one read, one bulk write); orders quoting
     * coupons, cancellations and refunds follow one by one, in the order they happened.
     */
    @EventListener
    void ordersRecorded(OrdersRecorded batch) {
        List<OrderPlaced> plain = batch.placed().stream()
                .filter(e -> e.couponCodes() == null || e.couponCodes().isEmpty()).toList();
        try {
            points.earnAll(plain.stream().map(e -> new PointsService.OrderFacts(e.orderKey(), e.customerId(),
                    e.platform(), e.totalBase(), e.currency(), e.placedAt(), false, null, e.live())).toList());
        } catch (RuntimeException ex) {
            plain.forEach(e -> safely("order:" + e.orderKey(), e, () -> handle(e)));
        }
        Set<OrderPlaced> earned = new HashSet<>(plain);
        for (OrderEvent event : batch.events()) {
            if (event instanceof OrderPlaced e) {
                if (!earned.contains(e)) safely("order:" + e.orderKey(), e, () -> handle(e));
            } else if (event instanceof OrderStatusChanged e) {
                safely("status:" + e.orderKey() + ":" + e.to(), e, () -> handle(e));
            } else if (event instanceof OrderRefunded e) {
                safely("refund:" + e.returnKey(), e, () -> handle(e));
            }
        }
    }

    /** Reviews and sign-ups of a batch earn their bonuses. */
    @EventListener
    void activities(ActivitiesRecorded batch) {
        for (ActivityRecorded e : batch.activities()) {
            if (e.customerId() == null) continue;
            if (!Interaction.REVIEW.equals(e.type()) && !"signed_up".equals(e.type())) continue;
            safely("activity:" + e.eventId(), e, () -> handle(e));
        }
    }

    @EventListener
    void couponIssued(CouponIssued e) {
        safely("coupon:" + e.code() + ":" + e.customerId(), e, () -> handle(e));
    }

    private void handle(Object event) {
        if (event instanceof OrderPlaced e) {
            Attribution attribution = null;
            boolean couponUsed = e.couponCodes() != null && !e.couponCodes().isEmpty();
            if (couponUsed) {
                List<CouponService.OrderCoupon> redeemed = coupons.redeemFromOrder(new CouponService.OrderInfo(
                        e.orderKey(), e.customerId(), e.totalBase(), e.currency(), e.total(), e.placedAt(), e.live()),
                        e.couponCodes());
                attribution = redeemed.stream().filter(CouponService.OrderCoupon::counts)
                        .map(CouponService.OrderCoupon::attribution).filter(java.util.Objects::nonNull)
                        .findFirst().orElse(null);
            }
            points.earn(new PointsService.OrderFacts(e.orderKey(), e.customerId(), e.platform(), e.totalBase(),
                    e.currency(), e.placedAt(), couponUsed, attribution, e.live()));
        } else if (event instanceof OrderStatusChanged e) {
            points.cancel(e.customerId(), e.orderKey(), e.to(), e.at());
        } else if (event instanceof OrderRefunded e) {
            points.refund(e.customerId(), e.orderKey(), e.returnKey(), e.amountBase(), e.kind(), e.at());
        } else if (event instanceof ActivityRecorded e) {
            if (!e.live() && !props.earnImportedHistory()) return;
            if (Interaction.REVIEW.equals(e.type())) {
                points.bonus(e.customerId(), "review", e.eventId(), null, null, "system");
            } else {
                Object referrer = e.properties() == null ? null : e.properties().get("referredBy");
                if (referrer instanceof String r && !r.isBlank() && !r.equals(e.customerId())
                        && mongo.exists(Query.query(Criteria.where("_id").is(r)), dev.caravan.customer.Customer.class)) {
                    points.bonus(r, "referral", e.customerId(), null, "referred customer " + e.customerId(), "system");
                }
            }
        } else if (event instanceof CouponIssued e) {
            if (e.customerId() == null) return;
            accounts.addCoupon(e.customerId(), new LoyaltyAccount.CouponRef(e.code(), e.definitionId(), e.at()));
        }
    }

    private void safely(String key, Object event, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException ex) {
            log.warn("Loyalty could not process {} ({}); retrying later", key, ex.toString());
            try {
                mongo.save(new Retry(key, event, 1, ex.toString(), clock.instant()));
            } catch (RuntimeException storeFailure) {
                log.error("Loyalty could not park {} for a retry: {}", key, storeFailure.toString());
            }
        }
    }

    /** Retries parked events; gives up (with an error in the log) after {@value #MAX_ATTEMPTS} attempts. */
    @Scheduled(fixedDelayString = "${caravan.loyalty.retry-interval:60s}", initialDelayString = "${caravan.loyalty.retry-interval:60s}")
    @SchedulerLock(name = "loyalty-retries")
    void retry() {
        for (Retry r : mongo.find(new Query().limit(500), Retry.class)) {
            try {
                handle(r.event());
                mongo.remove(Query.query(Criteria.where("_id").is(r.id())), Retry.class);
            } catch (RuntimeException ex) {
                if (r.attempts() + 1 >= MAX_ATTEMPTS) {
                    log.error("Loyalty gave up on {} after {} attempts: {}", r.id(), r.attempts() + 1, ex.toString());
                    mongo.remove(Query.query(Criteria.where("_id").is(r.id())), Retry.class);
                } else {
                    mongo.save(new Retry(r.id(), r.event(), r.attempts() + 1, ex.toString(), clock.instant()));
                }
            }
        }
    }
}
