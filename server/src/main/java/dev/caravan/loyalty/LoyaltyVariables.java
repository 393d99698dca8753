package dev.caravan.loyalty;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.messaging.TemplateVariables;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The {@code loyalty} template variable of every message (and the loyalty facts journeys can read through
 * {@link #forCustomer}): {@code loyalty.points}, {@code loyalty.pointsExpiringSoon}, {@code loyalty.nextExpiryAt}
 * (yyyy-MM-dd), {@code loyalty.level}, {@code loyalty.benefits.discountPercent}, {@code .freeShipping},
 * {@code .earlyAccess}, {@code .description}, {@code .birthdayGift.points}, {@code .birthdayGift.description}.
 * Two primary-key reads (account, customer level; one when messaging passes the customer); the benefits are cached.
 */
@Component
public class LoyaltyVariables implements TemplateVariables {

    private final LoyaltyAccounts accounts;
    private final BenefitsService benefits;
    private final MongoTemplate mongo;
    private final LoyaltyProperties props;
    private final Clock clock;

    LoyaltyVariables(LoyaltyAccounts accounts, BenefitsService benefits, MongoTemplate mongo, LoyaltyProperties props,
                     Clock clock) {
        this.accounts = accounts;
        this.benefits = benefits;
        this.mongo = mongo;
        this.props = props;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "loyalty";
    }

    @Override
    public Map<String, Object> forCustomer(String customerId) {
        Query q = Query.query(Criteria.where("_id").is(customerId));
        q.fields().include("level");
        Customer c = mongo.findOne(q, Customer.class);
        return variables(customerId, c == null ? null : c.getLevel());
    }

    /** The customer being messaged was just read: its level needs no second read. */
    @Override
    public Map<String, Object> forCustomer(Customer customer) {
        return variables(customer.getId(), customer.getLevel());
    }

    private Map<String, Object> variables(String customerId, String level) {
        LoyaltyAccount a = accounts.find(customerId);
        Ledger.State s = Ledger.fold(a.entries());
        Instant now = clock.instant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("points", a.balance());
        m.put("pointsExpiringSoon", s.expiringBy(now.plus(props.expiringSoon())).stream()
                .mapToLong(Ledger.Lot::remaining).sum());
        Instant next = s.nextExpiry();
        m.put("nextExpiryAt", next == null ? null : next.atZone(ZoneOffset.UTC).toLocalDate().toString());
        m.put("level", level);
        m.put("benefits", BenefitsService.asVariables(benefits.of(level)));
        return m;
    }

    @Override
    public Object sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("points", 1200);
        m.put("pointsExpiringSoon", 150);
        m.put("nextExpiryAt", "2027-01-31");
        m.put("level", "gold");
        m.put("benefits", BenefitsService.asVariables(benefits.of("gold")));
        return m;
    }
}
