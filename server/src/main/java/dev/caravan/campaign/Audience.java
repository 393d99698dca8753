package dev.caravan.campaign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.caravan.customer.Customer;
import org.springframework.stereotype.Component;

/** Time zones, send times and A/B assignment of campaign recipients. */
@Component
class Audience {

    private final ZoneId fallback;
    private final Map<String, ZoneId> byCountry = new HashMap<>();

    Audience(CampaignProperties props) {
        this.fallback = ZoneId.of(props.defaultZone());
        for (String entry : props.defaultZones()) {
            int eq = entry.indexOf('=');
            if (eq > 0) byCountry.put(entry.substring(0, eq).trim().toUpperCase(Locale.ROOT), ZoneId.of(entry.substring(eq + 1).trim()));
        }
    }

    /** The customer's zone: the profile's time zone, else their country's, else the default. */
    ZoneId zoneOf(Customer c) {
        if (c.getTimezone() != null && !c.getTimezone().isBlank()) {
            try {
                return ZoneId.of(c.getTimezone().trim());
            } catch (DateTimeException ignored) {
                // fall through to the country
            }
        }
        if (c.getCountry() != null) {
            ZoneId z = byCountry.get(c.getCountry().toUpperCase(Locale.ROOT));
            if (z != null) return z;
        }
        return fallback;
    }

    /**
     * When a recipient in {@code zone} is due, not before {@code notBefore}: now, the given instant, or {@code time}
     * on {@code date} in their zone (the next day at that time when it has passed there; without a date, the next
     * such time).
     */
    static Instant due(CampaignRequest.Schedule s, ZoneId zone, Instant notBefore) {
        String type = s == null || s.type() == null ? "now" : s.type();
        switch (type) {
            case "at" -> {
                Instant at = Instant.parse(s.at());
                return at.isBefore(notBefore) ? notBefore : at;
            }
            case "local_time" -> {
                LocalTime time = LocalTime.parse(s.time());
                LocalDate date = s.date() == null || s.date().isBlank() ? notBefore.atZone(zone).toLocalDate() : LocalDate.parse(s.date());
                ZonedDateTime t = ZonedDateTime.of(date, time, zone);
                while (t.toInstant().isBefore(notBefore)) t = t.plusDays(1);
                return t.toInstant();
            }
            default -> {
                return notBefore;
            }
        }
    }

    /** A stable number in [0, 1) for a customer within a campaign (A/B assignment, dry-run samples). */
    static double bucket(String campaignId, String customerId, String salt) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((salt + ":" + campaignId + ":" + customerId)
                    .getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 7; i++) v = (v << 8) | (d[i] & 0xff);
            return v / (double) (1L << 56);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The variant for a test-group customer, by the variants' weights. */
    static String variant(String campaignId, String customerId, List<Campaign.VariantSpec> variants) {
        int total = variants.stream().mapToInt(Campaign.VariantSpec::weight).sum();
        double u = bucket(campaignId, customerId, "variant") * total;
        int acc = 0;
        for (Campaign.VariantSpec v : variants) {
            acc += v.weight();
            if (u < acc) return v.id();
        }
        return variants.get(variants.size() - 1).id();
    }

    /** The template for a language: exact tag, then the bare language, then {@code default}. */
    static String template(Map<String, String> templates, String language) {
        if (language != null) {
            String exact = templates.get(language);
            if (exact != null) return exact;
            for (Map.Entry<String, String> e : templates.entrySet()) {
                if (e.getKey().equalsIgnoreCase(language)) return e.getValue();
            }
            String bare = language.split("-")[0];
            for (Map.Entry<String, String> e : templates.entrySet()) {
                if (e.getKey().split("-")[0].equalsIgnoreCase(bare)) return e.getValue();
            }
        }
        return templates.getOrDefault("default", templates.values().iterator().next());
    }
}
