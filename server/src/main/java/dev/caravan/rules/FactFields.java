package dev.caravan.rules;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The fields of {@link CustomerFact} by name, typed: scenario tests set them from YAML/CSV values (a wrong type or
 * an unknown name is reported with the scenario's file), and explanations list them.
 */
final class FactFields {

    enum Type { TEXT, INT, LONG, DOUBLE, NULLABLE_DOUBLE, TAGS }

    record Field(String name, Type type, Function<CustomerFact, Object> getter, BiConsumer<CustomerFact, Object> setter) {
        Object get(CustomerFact f) {
            return getter.apply(f);
        }

        /** Sets the field from a YAML/CSV value; throws IllegalArgumentException with a readable reason. */
        void set(CustomerFact f, Object raw) {
            setter.accept(f, convert(raw));
        }

        Object convert(Object raw) {
            if (raw instanceof String s && type != Type.TEXT && type != Type.TAGS) {
                raw = s.isBlank() ? null : s.trim();
            }
            try {
                return switch (type) {
                    case TEXT -> raw == null ? null : raw.toString();
                    case INT -> raw == null ? -1 : (int) Math.round(number(raw));
                    case LONG -> raw == null ? 0L : Math.round(number(raw));
                    case DOUBLE -> raw == null ? 0.0 : number(raw);
                    case NULLABLE_DOUBLE -> raw == null ? null : number(raw);
                    case TAGS -> tags(raw);
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": '" + raw + "' is not a number");
            }
        }

        private static double number(Object raw) {
            if (raw instanceof Number n) return n.doubleValue();
            return Double.parseDouble(raw.toString());
        }

        private static Object tags(Object raw) {
            LinkedHashSet<String> tags = new LinkedHashSet<>();
            if (raw instanceof Collection<?> c) {
                c.forEach(t -> tags.add(t.toString().trim()));
            } else if (raw != null) {
                for (String t : raw.toString().split("[;,]")) {
                    if (!t.isBlank()) tags.add(t.trim());
                }
            }
            return tags;
        }
    }

    static final Map<String, Field> ALL = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    private static void add(String name, Type type, Function<CustomerFact, Object> getter,
                            BiConsumer<CustomerFact, ?> setter) {
        ALL.put(name, new Field(name, type, getter, (BiConsumer<CustomerFact, Object>) setter));
    }

    static {
        add("id", Type.TEXT, CustomerFact::getId, (CustomerFact f, String v) -> f.setId(v));
        add("country", Type.TEXT, CustomerFact::getCountry, (CustomerFact f, String v) -> f.setCountry(v));
        add("tier", Type.TEXT, CustomerFact::getTier, (CustomerFact f, String v) -> f.setTier(v));
        add("lifecycle", Type.TEXT, CustomerFact::getLifecycle, (CustomerFact f, String v) -> f.setLifecycle(v));
        add("level", Type.TEXT, CustomerFact::getLevel, (CustomerFact f, String v) -> f.setLevel(v));
        add("tags", Type.TAGS, CustomerFact::getTags, (CustomerFact f, java.util.Set<String> v) -> f.setTags(v));
        add("daysSinceCreated", Type.INT, CustomerFact::getDaysSinceCreated, (CustomerFact f, Integer v) -> f.setDaysSinceCreated(v));
        add("orderCount", Type.LONG, CustomerFact::getOrderCount, (CustomerFact f, Long v) -> f.setOrderCount(v));
        add("totalSpend", Type.DOUBLE, CustomerFact::getTotalSpend, (CustomerFact f, Double v) -> f.setTotalSpend(v));
        add("avgOrderValue", Type.DOUBLE, CustomerFact::getAvgOrderValue, (CustomerFact f, Double v) -> f.setAvgOrderValue(v));
        add("spend12m", Type.DOUBLE, CustomerFact::getSpend12m, (CustomerFact f, Double v) -> f.setSpend12m(v));
        add("orders12m", Type.LONG, CustomerFact::getOrders12m, (CustomerFact f, Long v) -> f.setOrders12m(v));
        add("ordersPrior12m", Type.LONG, CustomerFact::getOrdersPrior12m, (CustomerFact f, Long v) -> f.setOrdersPrior12m(v));
        add("daysSinceFirstOrder", Type.INT, CustomerFact::getDaysSinceFirstOrder, (CustomerFact f, Integer v) -> f.setDaysSinceFirstOrder(v));
        add("daysSinceLastOrder", Type.INT, CustomerFact::getDaysSinceLastOrder, (CustomerFact f, Integer v) -> f.setDaysSinceLastOrder(v));
        add("avgGapDays", Type.DOUBLE, CustomerFact::getAvgGapDays, (CustomerFact f, Double v) -> f.setAvgGapDays(v));
        add("couponShare", Type.DOUBLE, CustomerFact::getCouponShare, (CustomerFact f, Double v) -> f.setCouponShare(v));
        add("returnCount", Type.LONG, CustomerFact::getReturnCount, (CustomerFact f, Long v) -> f.setReturnCount(v));
        add("returnRate", Type.DOUBLE, CustomerFact::getReturnRate, (CustomerFact f, Double v) -> f.setReturnRate(v));
        add("platformCount", Type.INT, CustomerFact::getPlatformCount, (CustomerFact f, Integer v) -> f.setPlatformCount(v));
        add("complaints", Type.LONG, CustomerFact::getComplaints, (CustomerFact f, Long v) -> f.setComplaints(v));
        add("openComplaints", Type.LONG, CustomerFact::getOpenComplaints, (CustomerFact f, Long v) -> f.setOpenComplaints(v));
        add("lowReviews", Type.LONG, CustomerFact::getLowReviews, (CustomerFact f, Long v) -> f.setLowReviews(v));
        add("daysSinceOldestOpenComplaint", Type.INT, CustomerFact::getDaysSinceOldestOpenComplaint, (CustomerFact f, Integer v) -> f.setDaysSinceOldestOpenComplaint(v));
        add("daysSinceLastActivity", Type.INT, CustomerFact::getDaysSinceLastActivity, (CustomerFact f, Integer v) -> f.setDaysSinceLastActivity(v));
        add("aliveProbability", Type.NULLABLE_DOUBLE, CustomerFact::getAliveProbability, (CustomerFact f, Double v) -> f.setAliveProbability(v));
        add("clv", Type.NULLABLE_DOUBLE, CustomerFact::getClv, (CustomerFact f, Double v) -> f.setClv(v));
        add("expectedPurchases", Type.NULLABLE_DOUBLE, CustomerFact::getExpectedPurchases, (CustomerFact f, Double v) -> f.setExpectedPurchases(v));
        add("recencyRank", Type.DOUBLE, CustomerFact::getRecencyRank, (CustomerFact f, Double v) -> f.setRecencyRank(v));
        add("frequencyRank", Type.DOUBLE, CustomerFact::getFrequencyRank, (CustomerFact f, Double v) -> f.setFrequencyRank(v));
        add("monetaryRank", Type.DOUBLE, CustomerFact::getMonetaryRank, (CustomerFact f, Double v) -> f.setMonetaryRank(v));
        add("valueScore", Type.DOUBLE, CustomerFact::getValueScore, (CustomerFact f, Double v) -> f.setValueScore(v));
        add("recencyScore", Type.INT, CustomerFact::getRecencyScore, (CustomerFact f, Integer v) -> f.setRecencyScore(v));
        add("frequencyScore", Type.INT, CustomerFact::getFrequencyScore, (CustomerFact f, Integer v) -> f.setFrequencyScore(v));
        add("monetaryScore", Type.INT, CustomerFact::getMonetaryScore, (CustomerFact f, Integer v) -> f.setMonetaryScore(v));
    }

    private FactFields() {
    }
}
