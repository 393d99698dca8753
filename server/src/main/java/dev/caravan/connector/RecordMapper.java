package dev.caravan.connector;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.caravan.customer.Address;
import dev.caravan.customer.ContactNormalizer;
import dev.caravan.customer.ProfileInput;
import dev.caravan.ingest.IngestRecord;
import dev.caravan.integrations.marketplace.MarketplaceAddress;
import dev.caravan.integrations.marketplace.MarketplaceBuyer;
import dev.caravan.integrations.marketplace.MarketplaceLine;
import dev.caravan.integrations.marketplace.MarketplaceOrder;
import dev.caravan.integrations.marketplace.MarketplaceRefund;
import dev.caravan.money.ExchangeRateService;
import dev.caravan.order.OrderInput;
import dev.caravan.order.OrderLine;
import dev.caravan.order.ReturnInput;
import org.springframework.stereotype.Component;

/**
 * Maps what the connectors read into the ingest pipeline's records: a profile (normalised e-mail, E.164 phone, ISO
 * country; a value that does not normalise is dropped, never the order), the order and its refunds. Orders whose
 * currency has no exchange rate are skipped and reported, as the pipeline cannot value them.
 */
@Component
class RecordMapper {

    private final ContactNormalizer normalizer;
    private final ExchangeRateService rates;

    RecordMapper(ContactNormalizer normalizer, ExchangeRateService rates) {
        this.normalizer = normalizer;
        this.rates = rates;
    }

    /** Records of one batch, split by whether they are live (journeys react) or history. */
    record Mapped(List<IngestRecord> live, List<IngestRecord> history, List<String> skipped) {
        int size() {
            return live.size() + history.size();
        }
    }

    Mapped map(List<MarketplaceOrder> orders, List<MarketplaceBuyer> customers, String platform, String storeId,
               String source, Instant liveFrom) {
        List<IngestRecord> live = new ArrayList<>();
        List<IngestRecord> history = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (MarketplaceBuyer b : customers) {
            ProfileInput p = profile(b, platform, storeId, source, b.updatedAt());
            if (p == null) {
                skipped.add("customer " + b.buyerId() + ": no usable identity");
                continue;
            }
            boolean isLive = b.updatedAt() == null || !b.updatedAt().isBefore(liveFrom);
            (isLive ? live : history).add(new IngestRecord(null, "customer_updated", b.updatedAt(), p, null, null,
                    null, null, null));
        }
        for (MarketplaceOrder o : orders) {
            String problem = currencyProblem(o);
            if (problem != null) {
                skipped.add("order " + o.orderId() + ": " + problem);
                continue;
            }
            Instant changed = o.updatedAt() != null ? o.updatedAt() : o.placedAt();
            List<IngestRecord> target = changed.isBefore(liveFrom) ? history : live;
            ProfileInput p = o.buyer() == null ? null : profile(o.buyer(), platform, storeId, source, changed);
            target.add(new IngestRecord(null, "order_placed", o.placedAt(), p, order(o, platform, source), null, null,
                    null, null));
            for (MarketplaceRefund r : o.refunds()) {
                target.add(new IngestRecord(null, "order_refunded", r.at() != null ? r.at() : changed, p, null,
                        refund(o, r, platform, source), null, null, null));
            }
        }
        return new Mapped(live, history, skipped);
    }

    private String currencyProblem(MarketplaceOrder o) {
        if (o.currency() == null) return null; // unvalued (e.g. a pending Amazon order): stored, counts later
        String c;
        try {
            c = normalizer.currency(o.currency());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!rates.table().knows(c, LocalDate.ofInstant(o.placedAt(), ZoneOffset.UTC))) {
            return "no exchange rate is loaded for " + c;
        }
        for (MarketplaceRefund r : o.refunds()) {
            if (r.currency() != null && !r.currency().equalsIgnoreCase(c)
                    && !rates.table().knows(r.currency().toUpperCase(), LocalDate.ofInstant(o.placedAt(), ZoneOffset.UTC))) {
                return "no exchange rate is loaded for refund currency " + r.currency();
            }
        }
        return null;
    }

    OrderInput order(MarketplaceOrder o, String platform, String source) {
        List<OrderLine> lines = null;
        if (o.lines() != null) {
            lines = new ArrayList<>();
            for (MarketplaceLine l : o.lines()) {
                lines.add(new OrderLine(l.sku(), l.title(), null, l.quantity(), l.unitPrice(), null));
            }
        }
        return new OrderInput(platform, o.storeId(), o.orderId(), null, null, lines,
                o.currency() == null ? null : o.currency().toUpperCase(), o.total(), o.status(), o.placedAt(),
                o.shippedAt(), o.deliveredAt(), o.cancelledAt(), o.couponCodes().isEmpty() ? null : o.couponCodes(),
                quietly(o.shipCountry(), normalizer::country), source, false);
    }

    private static ReturnInput refund(MarketplaceOrder o, MarketplaceRefund r, String platform, String source) {
        String currency = r.currency() != null ? r.currency().toUpperCase() : o.currency() == null ? null
                : o.currency().toUpperCase();
        return new ReturnInput(platform, o.storeId(), o.orderId() + "#" + r.refundId(), o.orderId(), null, null,
                r.kind(), null, r.amount() == null ? null : currency, r.amount(), r.reason(),
                r.at() != null ? r.at() : o.updatedAt(), source);
    }

    /** The buyer as a profile input, or null when nothing identifies them. */
    ProfileInput profile(MarketplaceBuyer b, String platform, String storeId, String source, Instant at) {
        String country = quietly(b.country(), normalizer::country);
        MarketplaceAddress a = b.address();
        String addressCountry = a == null ? null : quietly(a.country(), normalizer::country);
        if (country == null) country = addressCountry;
        String region = country;
        ProfileInput p = ProfileInput.builder()
                .platform(b.buyerId() == null ? null : platform)
                .storeId(storeId)
                .buyerId(b.buyerId())
                .email(quietly(b.email(), normalizer::email))
                .phone(quietly(b.phone(), v -> normalizer.phone(v, region)))
                .displayName(b.name())
                .firstName(b.firstName())
                .lastName(b.lastName())
                .country(country)
                .language(quietly(b.language(), normalizer::language))
                .currency(quietly(b.currency(), normalizer::currency))
                .address(a == null || a.line1() == null ? null : new Address(a.line1(), a.line2(), a.city(), a.region(),
                        a.postalCode(), addressCountry))
                .consents(b.consents())
                .source(source)
                .at(at)
                .build();
        return p.hasIdentity() ? p : null;
    }

    private static String quietly(String raw, Function<String, String> normalise) {
        if (raw == null || raw.isBlank()) return null;
        try {
            return normalise.apply(raw);
        } catch (IllegalArgumentException e) {
            return null; // dropped without logging: the value is personal data
        }
    }
}
