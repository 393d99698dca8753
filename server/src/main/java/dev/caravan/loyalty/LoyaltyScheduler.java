package dev.caravan.loyalty;

import java.time.Clock;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import dev.caravan.customer.Customer;
import dev.caravan.loyalty.coupon.Attribution;
import dev.caravan.loyalty.coupon.CouponService;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The daily loyalty jobs (one server runs each, ShedLock): expiring due points, and birthdays. On a customer's
 * birthday (UTC date; 29 February counts on 28 February in other years) a customer with orders gets the
 * {@code loyalty-bonus-birthday} points, and a member additionally their level's birthday gift (points and/or a
 * coupon). Both are keyed by customer and year, so a re-run the same day gives nothing twice.
 */
@Component
class LoyaltyScheduler {

    private static final Logger log = LoggerFactory.getLogger(LoyaltyScheduler.class);

    private final PointsService points;
    private final BenefitsService benefits;
    private final CouponService coupons;
    private final MongoTemplate mongo;
    private final Clock clock;

    LoyaltyScheduler(PointsService points, BenefitsService benefits, CouponService coupons, MongoTemplate mongo,
                     Clock clock) {
        this.points = points;
        this.benefits = benefits;
        this.coupons = coupons;
        this.mongo = mongo;
        this.clock = clock;
    }

    @Scheduled(cron = "${caravan.loyalty.expiry-cron:0 15 1 * * *}")
    @SchedulerLock(name = "loyalty-expiry")
    void expireNightly() {
        Map<String, Long> r = points.expireDue();
        if (r.get("points") > 0) log.info("Expired {} points in {} accounts", r.get("points"), r.get("accounts"));
    }

    @Scheduled(cron = "${caravan.loyalty.birthday-cron:0 0 6 * * *}")
    @SchedulerLock(name = "loyalty-birthdays")
    void birthdaysDaily() {
        Map<String, Long> r = birthdays(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        if (r.get("customers") > 0) log.info("Birthday bonuses: {}", r);
    }

    /** Gives the birthday bonus and level gifts of {@code day}; a scan of customers with a birthday. */
    Map<String, Long> birthdays(LocalDate day) {
        long customers = 0, bonusPoints = 0, giftCoupons = 0;
        Query q = Query.query(Criteria.where("birthday").ne(null));
        q.fields().include("birthday", "level", "metrics.orderCount");
        try (Stream<Customer> all = mongo.stream(q, Customer.class)) {
            for (Customer c : (Iterable<Customer>) all::iterator) {
                if (c.getBirthday() == null || !isBirthday(c.getBirthday(), day)) continue;
                if (c.getMetrics().orderCount() <= 0) continue;
                customers++;
                String year = String.valueOf(day.getYear());
                try {
                    bonusPoints += points.bonus(c.getId(), "birthday", c.getId() + ":" + year, null, null, "system").points();
                    LevelBenefits b = benefits.of(c.getLevel());
                    LevelBenefits.BirthdayGift gift = b == null ? null : b.birthdayGift();
                    if (gift != null && gift.points() > 0) {
                        bonusPoints += points.bonus(c.getId(), "birthday", c.getId() + ":" + year + ":" + c.getLevel(),
                                gift.points(), gift.description(), "system").points();
                    }
                    if (gift != null && gift.couponDefinitionId() != null) {
                        coupons.issue(new CouponService.IssueRequest(gift.couponDefinitionId(), c.getId(), null, null,
                                Attribution.of("birthday"), "birthday:" + c.getId() + ":" + year));
                        giftCoupons++;
                    }
                } catch (RuntimeException e) {
                    log.warn("Birthday gift for customer {} failed: {}", c.getId(), e.toString());
                }
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("customers", customers);
        out.put("points", bonusPoints);
        out.put("coupons", giftCoupons);
        return out;
    }

    static boolean isBirthday(LocalDate birthday, LocalDate day) {
        MonthDay md = MonthDay.from(birthday);
        if (md.equals(MonthDay.of(2, 29)) && !day.isLeapYear()) md = MonthDay.of(2, 28);
        return md.equals(MonthDay.from(day));
    }
}
