package dev.caravan.workflow;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.caravan.customer.Customer;
import dev.caravan.order.Order;
import dev.caravan.order.OrderLine;

/**
 * The parameters of a journey message in the vocabulary of the message templates (docs/MESSAGING.md, "Templates"):
 * what the journey knows — process variables, the coupon an IssueCoupon step gave out, the order the journey is
 * about — shaped the way the templates read it, with dates, amounts, holiday names and membership labels written in
 * the language of the template the message will use.
 * <ul>
 * <li>{@code coupon}: {@code code}, {@code value} ("10%" or an amount), {@code discount} ("10%", "$5.00") and
 *     {@code expiresAt} (a long local date, "March 16, 2026", "2026年3月16日") — from the variable {@code couponCode}</li>
 * <li>{@code order}: {@code id} (the platform's order number), {@code key}, {@code total}; {@code products} (its lines:
 *     {@code name}, {@code sku}, {@code quantity}, {@code price}); {@code orderId} (the key, for marketplace
 *     channels) — from {@code orderKey}, or {@code order.id} alone from a trigger's {@code orderId}</li>
 * <li>{@code holiday} (the name in the message's language, from the calendar's {@code name_<language>} columns),
 *     {@code holidayId}, and {@code salesEvent = true} for commercial days (Black Friday...)</li>
 * <li>{@code tier}: a label for the customer's new status — the membership level or tier the trigger moved to
 *     ({@code core} reads "VIP"), else the customer's level or tier</li>
 * <li>{@code cartUrl}; {@code products} from a cart trigger's {@code sku} and {@code title}</li>
 * <li>{@code variant} (A/B split), {@code journey}</li>
 * </ul>
 * Blank variables (texts default to "") are left out, so templates can test them with sections.
 */
final class JourneyMessageParams {

    /** Display labels of the shipped tiers and membership levels by language; others are capitalised as they are. */
    private static final Map<String, Map<String, String>> LABELS = Map.of(
            "en", Map.of("core", "VIP", "silver", "Silver", "gold", "Gold", "diamond", "Diamond"),
            "zh", Map.of("core", "VIP", "silver", "银卡", "gold", "金卡", "diamond", "钻石"));

    private JourneyMessageParams() {
    }

    /**
     * @param variables the step's process variables by name
     * @param language  the language of the template that will be used (BCP 47)
     */
    static Map<String, Object> of(Function<String, Object> variables, Customer customer, String journeyId,
                                  String language, PaletteContext ctx) {
        Locale locale = Locale.forLanguageTag(language == null ? "en" : language.replace('_', '-'));
        ZoneId zone = CustomerZones.of(customer);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("journey", journeyId);
        String variant = text(variables.apply("variant"));
        if (variant != null) p.put("variant", variant);
        coupon(p, text(variables.apply("couponCode")), ctx, zone, locale);
        order(p, text(variables.apply("orderKey")), text(variables.apply("orderId")), ctx, locale);
        holiday(p, text(variables.apply("holiday")), text(variables.apply("holidayName")), ctx, language);
        String tier = tier(text(variables.apply("trigger")), text(variables.apply("to")), text(variables.apply("level")),
                text(variables.apply("tier")));
        if (tier != null) p.put("tier", label(tier, locale));
        String cartUrl = text(variables.apply("cartUrl"));
        if (cartUrl != null) p.put("cartUrl", cartUrl);
        String sku = text(variables.apply("sku"));
        if (sku != null && !p.containsKey("products")) {
            String title = text(variables.apply("title"));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", title == null ? sku : title);
            item.put("sku", sku);
            p.put("products", List.of(item));
        }
        return p;
    }

    private static void coupon(Map<String, Object> p, String code, PaletteContext ctx, ZoneId zone, Locale locale) {
        if (code == null) return;
        Map<String, Object> coupon = new LinkedHashMap<>();
        coupon.put("code", code);
        ctx.findCoupon(code).ifPresent(k -> {
            if (k.value() != null) {
                coupon.put("value", k.value());
                coupon.put("discount", discount(k.value(), ctx.baseCurrency(), locale));
            }
            if (k.expiresAt() != null) coupon.put("expiresAt", date(k.expiresAt(), zone, locale));
        });
        p.put("coupon", coupon);
    }

    private static void order(Map<String, Object> p, String orderKey, String platformOrderId, PaletteContext ctx,
                              Locale locale) {
        if (orderKey == null) {
            if (platformOrderId != null) {
                p.put("order", Map.of("id", platformOrderId));
                p.put("orderId", platformOrderId);
            }
            return;
        }
        Order o = ctx.findOrder(orderKey);
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", o != null && o.externalId() != null ? o.externalId()
                : orderKey.substring(orderKey.lastIndexOf('/') + 1));
        order.put("key", orderKey);
        if (o != null && o.total() != null && o.currency() != null) order.put("total", money(o.total(), o.currency(), locale));
        p.put("order", order);
        p.put("orderId", orderKey);
        if (o != null && o.lines() != null && !o.lines().isEmpty()) {
            List<Map<String, Object>> products = new ArrayList<>();
            for (OrderLine l : o.lines()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("name", l.title() == null || l.title().isBlank() ? l.sku() : l.title());
                item.put("sku", l.sku());
                item.put("quantity", l.quantity());
                if (l.unitPrice() != null && o.currency() != null) item.put("price", money(l.unitPrice(), o.currency(), locale));
                products.add(item);
            }
            p.put("products", products);
        }
    }

    private static void holiday(Map<String, Object> p, String occurrence, String name, PaletteContext ctx,
                                String language) {
        if (occurrence == null && name == null) return;
        HolidayCalendar.Holiday h = occurrence == null ? null : ctx.holidays().occurrence(occurrence);
        String shown = h != null ? h.name(language) : name != null ? name : occurrence;
        p.put("holiday", shown);
        if (occurrence != null) p.put("holidayId", occurrence);
        if (h != null && "commercial".equals(h.kind())) p.put("salesEvent", true);
    }

    /** The status a message about the customer's standing names: what the tier/membership trigger moved to. */
    static String tier(String trigger, String to, String level, String tier) {
        if (to != null && ("tier_changed".equals(trigger) || "membership_changed".equals(trigger))) return to;
        return level != null ? level : tier;
    }

    static String label(String value, Locale locale) {
        Map<String, String> labels = LABELS.getOrDefault(locale.getLanguage(), LABELS.get("en"));
        String key = value.toLowerCase(Locale.ROOT);
        String label = labels.getOrDefault(key, LABELS.get("en").get(key));
        if (label != null) return label;
        return value.substring(0, 1).toUpperCase(locale) + value.substring(1);
    }

    /** "10%" stays as it is; an amount is money in the base currency. */
    static String discount(String value, String currency, Locale locale) {
        String v = value.trim();
        if (v.endsWith("%")) return v;
        try {
            return currency == null ? v : money(new BigDecimal(v), currency, locale);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    static String money(BigDecimal amount, String currency, Locale locale) {
        try {
            Currency c = Currency.getInstance(currency);
            NumberFormat f = NumberFormat.getCurrencyInstance(locale);
            f.setCurrency(c);
            f.setMinimumFractionDigits(Math.max(0, c.getDefaultFractionDigits()));
            f.setMaximumFractionDigits(Math.max(0, c.getDefaultFractionDigits()));
            return f.format(amount);
        } catch (IllegalArgumentException e) {
            return amount.toPlainString() + " " + currency;
        }
    }

    static String date(Instant at, ZoneId zone, Locale locale) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(at.atZone(zone).toLocalDate());
    }

    private static String text(Object v) {
        if (v == null) return null;
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }
}
