package dev.caravan.loyalty;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.rules.RulesService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The earn rate of an order: the base rate (rule parameter {@value #BASE_RATE}, points per unit of base currency)
 * times the multipliers of every row of the decision table {@code loyalty/earn-rates.drl.csv} that matches the
 * order's {@link EarnFact}. The table is part of the rule set, so it is versioned, validated and edited by marketers
 * cell by cell (numbers and ids only) through the rules API; the rules engine runs it. The product of the
 * multipliers is capped to 0..{@code caravan.loyalty.max-multiplier}.
 */
@Component
class EarnRates {

    static final String BASE_RATE = "loyalty-points-per-unit";
    private static final Logger log = LoggerFactory.getLogger(EarnRates.class);

    /** How an order's points were computed (kept on the ledger entry). */
    record Rate(double pointsPerUnit, double multiplier, List<String> applied, long ruleVersion, String problem) {

        long points(BigDecimal amountBase) {
            if (amountBase == null || amountBase.signum() <= 0) return 0;
            return amountBase.multiply(BigDecimal.valueOf(pointsPerUnit)).multiply(BigDecimal.valueOf(multiplier))
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
        }

        Map<String, Object> detail() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pointsPerUnit", pointsPerUnit);
            m.put("multiplier", multiplier);
            m.put("rules", applied);
            m.put("ruleVersion", ruleVersion);
            if (problem != null) m.put("problem", problem);
            return m;
        }
    }

    private final RulesService rules;
    private final LoyaltyProperties props;

    EarnRates(RulesService rules, LoyaltyProperties props) {
        this.rules = rules;
        this.props = props;
    }

    Rate decide(EarnFact fact) {
        double base = baseRate();
        try {
            long version = rules.decide(List.of(fact));
            double m = Math.max(0, Math.min(props.maxMultiplier(), fact.multiplier()));
            String problem = m == fact.multiplier() ? null
                    : "multiplier " + fact.multiplier() + " capped to " + m + " (caravan.loyalty.max-multiplier)";
            return new Rate(base, m, List.copyOf(fact.applied()), version, problem);
        } catch (RuntimeException e) {
            // a broken or looping rule must not stop earning: the base rate applies and the entry says why
            log.warn("Earn-rate rules failed for customer {}: {}", fact.getCustomerId(), e.toString());
            return new Rate(base, 1.0, List.of(), rules.activeVersion(), "rules failed: " + e.getMessage());
        }
    }

    double baseRate() {
        return Math.max(0, rules.parameter(BASE_RATE).orElse(props.defaultPointsPerUnit()));
    }

    /** A bonus amount from the rule parameters ({@code loyalty-bonus-<kind>}), or the fallback. */
    long bonus(String kind, long fallback) {
        return Math.max(0, Math.round(rules.parameter("loyalty-bonus-" + kind).orElse(fallback)));
    }
}
