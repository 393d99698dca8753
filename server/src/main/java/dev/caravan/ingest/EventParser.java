package dev.caravan.ingest;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.caravan.activity.Interaction;
import dev.caravan.common.web.FieldError;
import dev.caravan.customer.ContactNormalizer;
import dev.caravan.customer.ProfileInput;
import dev.caravan.money.ExchangeRateService;
import dev.caravan.order.OrderInput;
import dev.caravan.order.OrderLine;
import dev.caravan.order.OrderStatus;
import dev.caravan.order.ReturnInput;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates one API event and splits it into an {@link IngestRecord}. Every problem is reported as a field
 * error with its JSON path, so a sender can fix all of them at once.
 */
@Component
class EventParser {

    static final int MAX_EVENT_ID = 200;
    private static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

    private final ContactNormalizer normalizer;
    private final ExchangeRateService rates;
    private final JsonMapper json;
    private final Clock clock;

    EventParser(ContactNormalizer normalizer, ExchangeRateService rates, JsonMapper json, Clock clock) {
        this.normalizer = normalizer;
        this.rates = rates;
        this.json = json;
        this.clock = clock;
    }

    /** The parsed record, or null with the reasons added to {@code errors}. */
    IngestRecord parse(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError("", "an event must be a JSON object"));
            return null;
        }
        ItemReader r = new ItemReader(node, "", errors);
        String eventId = r.text("eventId", true);
        if (eventId != null && eventId.length() > MAX_EVENT_ID) {
            r.error("eventId", "is longer than " + MAX_EVENT_ID + " characters");
        }
        String type = r.text("type", true);
        EventTypes.Kind kind = null;
        if (type != null) {
            kind = EventTypes.ALL.get(type);
            if (kind == null) r.error("type", "'" + type + "' is not one of " + EventTypes.ALL.keySet());
        }
        Instant at = r.instant("occurredAt", true);
        if (at != null && at.isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
            r.error("occurredAt", "lies more than a day in the future");
        }
        String source = "event:" + eventId;
        ProfileInput profile = profile(r.child("customer"), source, at);
        ItemReader p = r.child("properties");
        if (r.has("properties") && !r.raw("properties").isObject()) {
            r.error("properties", "must be a JSON object");
        }
        IngestRecord typed = kind == null ? null : validateProperties(kind, type, p, profile, at, source);
        if (!errors.isEmpty() || typed == null) {
            return null;
        }
        return new IngestRecord(eventId, type, at, profile, typed.order(), typed.ret(), typed.interaction(),
                typed.resolvesComplaint(), properties(r.raw("properties")));
    }

    private ProfileInput profile(ItemReader c, String source, Instant at) {
        if (!c.present()) {
            c.error("", "customer is required and must be an object");
            return null;
        }
        String country = c.normalised("country", false, normalizer::country);
        String email = c.normalised("email", false, normalizer::email);
        String phone = c.normalised("phone", false, v -> normalizer.phone(v, country));
        Map<String, Boolean> consents = new LinkedHashMap<>();
        JsonNode consentNode = c.raw("consents");
        if (consentNode != null && !consentNode.isNull()) {
            if (!consentNode.isObject()) {
                c.error("consents", "must be an object of channel to true/false");
            } else {
                consentNode.properties().forEach(e -> {
                    if (e.getValue().isBoolean()) consents.put(e.getKey(), e.getValue().asBoolean());
                    else c.error("consents." + e.getKey(), "must be true or false");
                });
            }
        }
        LocalDate birthday = null;
        String b = c.text("birthday", false);
        if (b != null) {
            try {
                birthday = LocalDate.parse(b);
            } catch (DateTimeParseException e) {
                c.error("birthday", "'" + b + "' is not a date like 1990-04-21");
            }
        }
        ProfileInput in = ProfileInput.builder()
                .customerId(c.text("customerId", false))
                .platform(lower(c.text("platform", false)))
                .storeId(c.text("storeId", false))
                .buyerId(c.text("buyerId", false))
                .email(email).phone(phone)
                .displayName(c.text("name", false))
                .firstName(c.text("firstName", false))
                .lastName(c.text("lastName", false))
                .country(country)
                .language(c.normalised("language", false, normalizer::language))
                .timezone(c.normalised("timezone", false, normalizer::timezone))
                .currency(c.normalised("currency", false, normalizer::currency))
                .birthday(birthday)
                .consents(consents)
                .source(source).at(at)
                .build();
        if ((in.platform() == null) != (in.buyerId() == null)) {
            c.error(in.platform() == null ? "platform" : "buyerId", "platform and buyerId go together");
        }
        if (!in.hasIdentity()) {
            c.error("", "customer needs an identity: platform and buyerId, email, phone or customerId");
        }
        return in;
    }

    /** Checks the type's properties; returns a record carrying only the typed parts (order, return...). */
    private IngestRecord validateProperties(EventTypes.Kind kind, String type, ItemReader p, ProfileInput profile,
                                            Instant at, String source) {
        String platform = profile == null || profile.platform() == null ? "api" : profile.platform();
        String storeId = profile == null ? null : profile.storeId();
        return switch (kind) {
            case ORDER -> new IngestRecord(null, type, at, profile, order(type, p, platform, storeId, at, source),
                    null, null, null, null);
            case RETURN -> new IngestRecord(null, type, at, profile, null, refund(p, platform, storeId, at, source),
                    null, null, null);
            case INTERACTION -> interaction(type, p, platform, profile, at, source);
            case BEHAVIOUR -> {
                if (EventTypes.PRODUCT_EVENTS.contains(type)) p.text("sku", true);
                if (p.has("price")) p.decimal("price", false);
                if (p.has("quantity")) p.integer("quantity", false, 1, 1_000_000);
                yield new IngestRecord(null, type, at, profile, null, null, null, null, null);
            }
        };
    }

    private OrderInput order(String type, ItemReader p, String platform, String storeId, Instant at, String source) {
        String orderId = p.text("orderId", true);
        String store = p.has("storeId") ? p.text("storeId", false) : storeId;
        if (!type.equals("order_placed")) {
            String status = switch (type) {
                case "order_paid" -> OrderStatus.PAID;
                case "order_shipped" -> OrderStatus.SHIPPED;
                case "order_delivered" -> OrderStatus.DELIVERED;
                default -> OrderStatus.CANCELLED;
            };
            return new OrderInput(platform, store, orderId, null, null, null, null, null, status, null,
                    type.equals("order_shipped") ? at : null, type.equals("order_delivered") ? at : null,
                    type.equals("order_cancelled") ? at : null, null, null, source, false);
        }
        BigDecimal total = p.decimal("total", true);
        if (total != null && total.signum() < 0) p.error("total", "must not be negative");
        String currency = p.normalised("currency", true, normalizer::currency);
        if (currency != null && at != null && !rates.table().knows(currency, day(at))) {
            p.error("currency", "no exchange rate is loaded for " + currency);
        }
        String status = p.normalised("status", false, OrderStatus::parse);
        List<OrderLine> lines = lines(p);
        List<String> coupons = strings(p, "couponCodes");
        String country = p.normalised("shipCountry", false, normalizer::country);
        return new OrderInput(platform, store, orderId, null, null, lines, currency, total,
                status == null ? OrderStatus.PLACED : status, at, null, null, null, coupons, country, source, false);
    }

    private List<OrderLine> lines(ItemReader p) {
        JsonNode node = p.raw("lines");
        if (node == null || node.isNull()) return null;
        if (!node.isArray()) {
            p.error("lines", "must be an array");
            return null;
        }
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            ItemReader l = new ItemReader(node.get(i), p.path("lines[" + i + "]"), p.errorsList());
            if (!l.present()) {
                l.error("", "must be an object");
                continue;
            }
            Integer qty = l.integer("quantity", true, -1_000_000, 1_000_000);
            BigDecimal price = l.decimal("unitPrice", false);
            lines.add(new OrderLine(l.text("sku", true), l.text("title", false), l.text("category", false),
                    qty == null ? 0 : qty, price, null));
        }
        return lines;
    }

    private ReturnInput refund(ItemReader p, String platform, String storeId, Instant at, String source) {
        String orderId = p.text("orderId", true);
        BigDecimal amount = p.decimal("amount", false);
        if (amount != null && amount.signum() < 0) p.error("amount", "must not be negative");
        String currency = p.normalised("currency", amount != null, normalizer::currency);
        if (currency != null && at != null && !rates.table().knows(currency, day(at))) {
            p.error("currency", "no exchange rate is loaded for " + currency);
        }
        String refundId = p.text("refundId", false);
        String kind = p.has("kind") ? p.text("kind", false) : "refund";
        if (kind != null && !List.of("refund", "return", "cancellation").contains(kind)) {
            p.error("kind", "must be refund, return or cancellation");
        }
        return new ReturnInput(platform, p.has("storeId") ? p.text("storeId", false) : storeId,
                (orderId == null ? "" : orderId) + "#" + (refundId != null ? refundId : source.substring("event:".length())),
                orderId, null, null, kind, null, currency, amount, p.text("reason", false), at, source);
    }

    private IngestRecord interaction(String type, ItemReader p, String platform, ProfileInput profile, Instant at,
                                     String source) {
        if (type.equals("complaint_resolved")) {
            String complaint = p.text("complaintEventId", true);
            return new IngestRecord(null, type, at, profile, null, null, null, complaint, null);
        }
        Integer rating = null;
        String text;
        if (type.equals(Interaction.REVIEW)) {
            rating = p.integer("rating", true, 1, 5);
            text = p.text("text", false);
        } else {
            text = p.text("text", true);
        }
        String eventId = source.substring("event:".length());
        Interaction i = new Interaction(eventId, null, null, type, platform, p.text("orderId", false),
                p.text("sku", false), text, rating, false, at, source);
        return new IngestRecord(null, type, at, profile, null, null, i, null, null);
    }

    private List<String> strings(ItemReader p, String field) {
        JsonNode node = p.raw(field);
        if (node == null || node.isNull()) return null;
        if (!node.isArray()) {
            p.error(field, "must be an array of strings");
            return null;
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> {
            if (n.isString() && !n.asString().isBlank()) out.add(n.asString().trim());
            else p.error(field, "must contain only non-blank strings");
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties(JsonNode node) {
        return node == null || node.isNull() ? Map.of() : json.convertValue(node, Map.class);
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }
}
