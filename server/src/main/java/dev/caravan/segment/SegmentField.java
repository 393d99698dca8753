package dev.caravan.segment;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The profile and metric fields a segment leaf may name, with the operators each accepts. The store path is set only
 * where a leaf can be pushed down into the customers query with exactly the same meaning as in Java.
 */
public enum SegmentField {
    COUNTRY("country", Kind.COUNTRY, "country", "ISO 3166-1 alpha-2 code (names such as Germany or EIRE are accepted and stored as codes)"),
    LANGUAGE("language", Kind.LANGUAGE, null, "BCP 47 tag; a bare language (de) also matches its regional forms (de-AT)"),
    PLATFORM("platform", Kind.SET, "metrics.platforms", "platforms the customer ordered on (amazon, ebay, shopify...)"),
    TIER("tier", Kind.ID, "tier", "value tier from the rules: core, growth, base"),
    LIFECYCLE("lifecycle", Kind.ID, "lifecycle", "new, active, dormant, churned"),
    LEVEL("level", Kind.ID, "level", "membership level: silver, gold, diamond"),
    TAGS("tags", Kind.SET, "tags", "kebab-case tags (high-value, at-risk, vip...)"),
    CONSENTS("consents", Kind.SET, null, "channels with granted marketing consent (email, whatsapp, sms...)"),
    INTEREST("interest", Kind.SET, null, "top product categories from recent views, carts and orders"),
    ORDERS("orders", Kind.NUMBER, "metrics.orderCount", "orders (not cancelled)"),
    SPEND("spend", Kind.NUMBER, null, "total spend in the base currency"),
    AOV("aov", Kind.NUMBER, null, "average order value in the base currency"),
    RETURN_RATE("returnRate", Kind.NUMBER, null, "returns per order, 0..1"),
    DAYS_SINCE_LAST_ORDER("daysSinceLastOrder", Kind.NUMBER, null, "whole days since the last order (no orders: no value)"),
    DAYS_SINCE_FIRST_ORDER("daysSinceFirstOrder", Kind.NUMBER, null, "whole days since the first order"),
    P_ALIVE("pAlive", Kind.NUMBER, null, "predicted probability the customer is still active, 0..1 (analytics)"),
    CLV("clv", Kind.NUMBER, null, "predicted customer lifetime value in the base currency (analytics)"),
    LAST_ORDER_AT("lastOrderAt", Kind.DATE, null, "time of the last order"),
    FIRST_ORDER_AT("firstOrderAt", Kind.DATE, null, "time of the first order"),
    CREATED_AT("createdAt", Kind.DATE, null, "when the profile was created");

    /** What a field holds, which decides its operators and value checks. */
    public enum Kind {
        ID(Set.of("eq", "ne", "in", "nin", "exists")),
        COUNTRY(Set.of("eq", "ne", "in", "nin", "exists")),
        LANGUAGE(Set.of("eq", "ne", "in", "nin", "exists")),
        SET(Set.of("eq", "ne", "contains", "in", "nin", "exists")),
        NUMBER(Set.of("eq", "ne", "gt", "gte", "lt", "lte", "exists")),
        DATE(Set.of("within_days", "not_within_days", "exists"));

        final Set<String> ops;

        Kind(Set<String> ops) {
            this.ops = ops;
        }

        public Set<String> ops() {
            return ops;
        }
    }

    private final String id;
    private final Kind kind;
    private final String storePath;
    private final String description;

    SegmentField(String id, Kind kind, String storePath, String description) {
        this.id = id;
        this.kind = kind;
        this.storePath = storePath;
        this.description = description;
    }

    public String id() { return id; }
    public Kind kind() { return kind; }
    public String storePath() { return storePath; }
    public String description() { return description; }

    public static Optional<SegmentField> of(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(SegmentField::id).toList();
    }

    /** Behaviour events a leaf may name, and the fields behaviour leaves accept. */
    public static final List<String> EVENTS = List.of("page_viewed", "product_viewed", "added_to_cart", "removed_from_cart",
            "checkout_started", "signed_up", "searched", "inquiry", "complaint", "review", "order_placed");
    public static final Set<String> PRODUCT_EVENTS = Set.of("product_viewed", "added_to_cart", "removed_from_cart", "order_placed");
    public static final String ORDER_PLACED = "order_placed";
}
