package dev.caravan.customer;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The API form of a customer profile. */
public record CustomerDto(
        String id,
        String name,
        String displayName,
        String firstName,
        String lastName,
        List<String> emails,
        List<String> phones,
        List<Address> addresses,
        String country,
        String language,
        String timezone,
        String currency,
        LocalDate birthday,
        List<PlatformIdentity> identities,
        Map<String, Consent> consents,
        String tier,
        Set<String> tags,
        String lifecycle,
        String level,
        Metrics metrics,
        Predictions predictions,
        List<String> mergedFrom,
        Instant createdAt,
        Instant updatedAt) {

    /** Metrics in the shop's base currency, with the derived average order value and return rate. */
    public record Metrics(Instant firstOrderAt, Instant lastOrderAt, long orderCount, BigDecimal totalSpend,
                          BigDecimal averageOrderValue, long returnCount, BigDecimal refundTotal, double returnRate,
                          Set<String> platforms, String currency) {
    }

    public static CustomerDto of(Customer c, String baseCurrency) {
        CustomerMetrics m = c.getMetrics();
        return new CustomerDto(c.getId(), c.name(), c.getDisplayName(), c.getFirstName(), c.getLastName(),
                c.getEmails(), c.getPhones(), c.getAddresses(), c.getCountry(), c.getLanguage(), c.getTimezone(),
                c.getCurrency(), c.getBirthday(), c.getIdentities(), c.getConsents(), c.getTier(), c.getTags(),
                c.getLifecycle(), c.getLevel(),
                new Metrics(m.firstOrderAt(), m.lastOrderAt(), m.orderCount(), m.totalSpend(), m.averageOrderValue(),
                        m.returnCount(), m.refundTotal(), m.returnRate(), m.platforms(), baseCurrency),
                c.getPredictions(), c.getMergedFrom(), c.getCreatedAt(), c.getUpdatedAt());
    }
}
