package dev.caravan.loyalty;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.kie.api.runtime.rule.RuleContext;

/**
 * The fact the earn-rate decision table ({@code rules/loyalty/earn-rates.drl.csv}) sees for one order: who bought
 * (level, tier, lifecycle, tags, country), where (platform, currency), the campaign and journey that issued a coupon
 * used on the order, the order day (yyyy-MM-dd, UTC) and amount in base currency. Rules call
 * {@link #multiply(double, RuleContext)}; every matching row applies and the multipliers multiply.
 */
public class EarnFact {

    private final String customerId;
    private final String level;
    private final String tier;
    private final String lifecycle;
    private final Set<String> tags;
    private final String country;
    private final String platform;
    private final String currency;
    private final String campaign;
    private final String journey;
    private final String day;
    private final double amount;
    private final boolean couponUsed;
    private double multiplier = 1.0;
    private final List<String> applied = new ArrayList<>();

    public EarnFact(String customerId, String level, String tier, String lifecycle, Set<String> tags, String country,
                    String platform, String currency, String campaign, String journey, String day, double amount,
                    boolean couponUsed) {
        this.customerId = customerId;
        this.level = level;
        this.tier = tier;
        this.lifecycle = lifecycle;
        this.tags = tags == null ? Set.of() : new LinkedHashSet<>(tags);
        this.country = country;
        this.platform = platform;
        this.currency = currency;
        this.campaign = campaign;
        this.journey = journey;
        this.day = day;
        this.amount = amount;
        this.couponUsed = couponUsed;
    }

    /** Called by the rules: multiplies the earn rate; records which rule did it. */
    public void multiply(double factor, RuleContext kcontext) {
        multiplier *= factor;
        applied.add(kcontext.getRule().getName() + " x" + java.math.BigDecimal.valueOf(factor).stripTrailingZeros()
                .toPlainString());
    }

    public double multiplier() { return multiplier; }
    public List<String> applied() { return applied; }

    public String getCustomerId() { return customerId; }
    public String getLevel() { return level; }
    public String getTier() { return tier; }
    public String getLifecycle() { return lifecycle; }
    public Set<String> getTags() { return tags; }
    public String getCountry() { return country; }
    public String getPlatform() { return platform; }
    public String getCurrency() { return currency; }
    public String getCampaign() { return campaign; }
    public String getJourney() { return journey; }
    public String getDay() { return day; }
    public double getAmount() { return amount; }
    public boolean isCouponUsed() { return couponUsed; }
}
