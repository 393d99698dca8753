package dev.caravan.rules;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.kie.api.runtime.rule.RuleContext;

/**
 * The flat customer fact the rules see: profile, purchase metrics over windows, purchase rhythm, coupon and
 * return shares, interaction counters, predictions and the RFM ranks against the population. Rules decide by
 * calling {@link #tier}, {@link #lifecycle}, {@link #level}, {@link #tag} and {@link #churnRisk} with
 * {@code kcontext}; the first decision for tier, lifecycle and level wins (rules run in salience order), so higher
 * salience means higher priority. Day counts are -1 when unknown (no order, no activity).
 */
public class CustomerFact {

    // who, and what the customer currently has
    private String id;
    private String country;
    private String tier;
    private String lifecycle;
    private String level;
    private Set<String> tags = new LinkedHashSet<>();
    private int daysSinceCreated = -1;

    // orders
    private long orderCount;
    private double totalSpend;
    private double avgOrderValue;
    private double spend12m;
    private long orders12m;
    private long ordersPrior12m;
    private int daysSinceFirstOrder = -1;
    private int daysSinceLastOrder = -1;
    private double avgGapDays;
    private double couponShare;
    private long returnCount;
    private double returnRate;
    private int platformCount;

    // interactions
    private long complaints;
    private long openComplaints;
    private long lowReviews;
    private int daysSinceOldestOpenComplaint = -1;
    private int daysSinceLastActivity = -1;

    // predictions (null until the analytics feature fitted a model)
    private Double aliveProbability;
    private Double clv;
    private Double expectedPurchases;

    // RFM against the population
    private double recencyRank;
    private double frequencyRank;
    private double monetaryRank;
    private double valueScore;
    private int recencyScore;
    private int frequencyScore;
    private int monetaryScore;

    // decisions
    private Decision tierDecision;
    private Decision lifecycleDecision;
    private Decision levelDecision;
    private Map<String, Decision> tagDecisions;
    private Map<String, Decision> churnRiskDecisions;
    private java.util.List<String> problems;
    private static final Set<String> VALID_IDS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private int firings;

    public CustomerFact() {
    }

    public CustomerFact(String id) {
        this.id = id;
    }

    // ---- called from rule consequences ----

    public void tier(String value, RuleContext kcontext) {
        firings++;
        if (tierDecision == null && check("tier", value, Vocabulary.TIERS, kcontext)) {
            tierDecision = Provenance.decision(value, kcontext);
        }
    }

    public void lifecycle(String value, RuleContext kcontext) {
        firings++;
        if (lifecycleDecision == null && check("lifecycle", value, Vocabulary.LIFECYCLES, kcontext)) {
            lifecycleDecision = Provenance.decision(value, kcontext);
        }
    }

    public void level(String value, RuleContext kcontext) {
        firings++;
        if (levelDecision == null && check("level", value, Vocabulary.LEVELS, kcontext)) {
            levelDecision = Provenance.decision(value, kcontext);
        }
    }

    public void tag(String value, RuleContext kcontext) {
        firings++;
        if (tagDecisions == null) tagDecisions = new LinkedHashMap<>(8);
        if (!tagDecisions.containsKey(value) && checkId("tag", value, kcontext)) {
            tagDecisions.put(value, Provenance.decision(value, kcontext));
        }
    }

    public void churnRisk(String reason, RuleContext kcontext) {
        firings++;
        if (churnRiskDecisions == null) churnRiskDecisions = new LinkedHashMap<>(4);
        if (!churnRiskDecisions.containsKey(reason) && checkId("churn risk", reason, kcontext)) {
            churnRiskDecisions.put(reason, Provenance.decision(reason, kcontext));
        }
    }

    private boolean check(String what, String value, Set<String> allowed, RuleContext kcontext) {
        if (value != null && allowed.contains(value)) return true;
        problem("rule '" + kcontext.getRule().getName() + "' set " + what + " '" + value + "', which is not one of "
                + allowed);
        return false;
    }

    private boolean checkId(String what, String value, RuleContext kcontext) {
        if (value != null && (VALID_IDS.contains(value) || Vocabulary.ID.matcher(value).matches())) {
            if (VALID_IDS.size() < 10_000) VALID_IDS.add(value);
            return true;
        }
        problem("rule '" + kcontext.getRule().getName() + "' set " + what + " '" + value
                + "', which is not a kebab-case id");
        return false;
    }

    private void problem(String text) {
        if (problems == null) problems = new java.util.ArrayList<>(1);
        problems.add(text);
    }

    /** Replaces the level decision with the level the customer holds (downgrade grace, see {@link LevelGrace}). */
    void keepLevel(Decision held) {
        levelDecision = held;
    }

    /** Forgets the decisions, so the fact can be evaluated again. */
    void resetDecisions() {
        tierDecision = null;
        lifecycleDecision = null;
        levelDecision = null;
        tagDecisions = null;
        churnRiskDecisions = null;
        problems = null;
        firings = 0;
    }

    public Decision tierDecision() { return tierDecision; }
    public Decision lifecycleDecision() { return lifecycleDecision; }
    public Decision levelDecision() { return levelDecision; }
    public Map<String, Decision> tagDecisions() { return tagDecisions == null ? Map.of() : tagDecisions; }
    public Map<String, Decision> churnRiskDecisions() { return churnRiskDecisions == null ? Map.of() : churnRiskDecisions; }
    public java.util.List<String> problems() { return problems == null ? java.util.List.of() : problems; }
    int firings() { return firings; }

    /** The fact's inputs by name, for explanations and scenario tests. */
    public Map<String, Object> inputs() {
        Map<String, Object> m = new LinkedHashMap<>();
        FactFields.ALL.forEach((name, field) -> m.put(name, field.get(this)));
        return m;
    }

    // ---- getters read by the rules ----

    public String getId() { return id; }
    public String getCountry() { return country; }
    public String getTier() { return tier; }
    public String getLifecycle() { return lifecycle; }
    public String getLevel() { return level; }
    public Set<String> getTags() { return tags; }
    public boolean hasTag(String tag) { return tags.contains(tag); }
    public int getDaysSinceCreated() { return daysSinceCreated; }
    public boolean isHasOrders() { return orderCount > 0; }
    public long getOrderCount() { return orderCount; }
    public double getTotalSpend() { return totalSpend; }
    public double getAvgOrderValue() { return avgOrderValue; }
    public double getSpend12m() { return spend12m; }
    public long getOrders12m() { return orders12m; }
    public long getOrdersPrior12m() { return ordersPrior12m; }
    public int getDaysSinceFirstOrder() { return daysSinceFirstOrder; }
    public int getDaysSinceLastOrder() { return daysSinceLastOrder; }
    public double getAvgGapDays() { return avgGapDays; }
    public double getCouponShare() { return couponShare; }
    public long getReturnCount() { return returnCount; }
    public double getReturnRate() { return returnRate; }
    public int getPlatformCount() { return platformCount; }
    public long getComplaints() { return complaints; }
    public long getOpenComplaints() { return openComplaints; }
    public long getLowReviews() { return lowReviews; }
    public int getDaysSinceOldestOpenComplaint() { return daysSinceOldestOpenComplaint; }
    public int getDaysSinceLastActivity() { return daysSinceLastActivity; }
    public Double getAliveProbability() { return aliveProbability; }
    public Double getClv() { return clv; }
    public Double getExpectedPurchases() { return expectedPurchases; }
    public double getRecencyRank() { return recencyRank; }
    public double getFrequencyRank() { return frequencyRank; }
    public double getMonetaryRank() { return monetaryRank; }
    public double getValueScore() { return valueScore; }
    public int getRecencyScore() { return recencyScore; }
    public int getFrequencyScore() { return frequencyScore; }
    public int getMonetaryScore() { return monetaryScore; }

    // ---- setters used by the fact builder and scenario tests ----

    public void setId(String id) { this.id = id; }
    public void setCountry(String country) { this.country = country; }
    public void setTier(String tier) { this.tier = tier; }
    public void setLifecycle(String lifecycle) { this.lifecycle = lifecycle; }
    public void setLevel(String level) { this.level = level; }
    public void setTags(Set<String> tags) { this.tags = tags == null ? new LinkedHashSet<>() : new LinkedHashSet<>(tags); }
    public void setDaysSinceCreated(int v) { this.daysSinceCreated = v; }
    public void setOrderCount(long v) { this.orderCount = v; }
    public void setTotalSpend(double v) { this.totalSpend = v; }
    public void setAvgOrderValue(double v) { this.avgOrderValue = v; }
    public void setSpend12m(double v) { this.spend12m = v; }
    public void setOrders12m(long v) { this.orders12m = v; }
    public void setOrdersPrior12m(long v) { this.ordersPrior12m = v; }
    public void setDaysSinceFirstOrder(int v) { this.daysSinceFirstOrder = v; }
    public void setDaysSinceLastOrder(int v) { this.daysSinceLastOrder = v; }
    public void setAvgGapDays(double v) { this.avgGapDays = v; }
    public void setCouponShare(double v) { this.couponShare = v; }
    public void setReturnCount(long v) { this.returnCount = v; }
    public void setReturnRate(double v) { this.returnRate = v; }
    public void setPlatformCount(int v) { this.platformCount = v; }
    public void setComplaints(long v) { this.complaints = v; }
    public void setOpenComplaints(long v) { this.openComplaints = v; }
    public void setLowReviews(long v) { this.lowReviews = v; }
    public void setDaysSinceOldestOpenComplaint(int v) { this.daysSinceOldestOpenComplaint = v; }
    public void setDaysSinceLastActivity(int v) { this.daysSinceLastActivity = v; }
    public void setAliveProbability(Double v) { this.aliveProbability = v; }
    public void setClv(Double v) { this.clv = v; }
    public void setExpectedPurchases(Double v) { this.expectedPurchases = v; }
    public void setRecencyRank(double v) { this.recencyRank = v; }
    public void setFrequencyRank(double v) { this.frequencyRank = v; }
    public void setMonetaryRank(double v) { this.monetaryRank = v; }
    public void setValueScore(double v) { this.valueScore = v; }
    public void setRecencyScore(int v) { this.recencyScore = v; }
    public void setFrequencyScore(int v) { this.frequencyScore = v; }
    public void setMonetaryScore(int v) { this.monetaryScore = v; }

    /** Sets the R, F and M ranks and derives the value score (their mean) and the 1–5 quintile scores. */
    public void rank(double recency, double frequency, double monetary) {
        this.recencyRank = recency;
        this.frequencyRank = frequency;
        this.monetaryRank = monetary;
        this.valueScore = (recency + frequency + monetary) / 3;
        this.recencyScore = quintile(recency);
        this.frequencyScore = quintile(frequency);
        this.monetaryScore = quintile(monetary);
    }

    static int quintile(double rank) {
        return Math.max(1, Math.min(5, (int) Math.ceil(rank * 5)));
    }
}
