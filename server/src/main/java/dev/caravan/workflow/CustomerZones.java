package dev.caravan.workflow;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import dev.caravan.customer.Customer;

/** The time zone journeys use for a customer: the profile's zone, else the main zone of their country, else UTC. */
final class CustomerZones {

    private static final Map<String, String> BY_COUNTRY = Map.ofEntries(
            Map.entry("US", "America/New_York"), Map.entry("CA", "America/Toronto"), Map.entry("MX", "America/Mexico_City"),
            Map.entry("BR", "America/Sao_Paulo"), Map.entry("AR", "America/Argentina/Buenos_Aires"),
            Map.entry("GB", "Europe/London"), Map.entry("IE", "Europe/Dublin"), Map.entry("DE", "Europe/Berlin"),
            Map.entry("FR", "Europe/Paris"), Map.entry("ES", "Europe/Madrid"), Map.entry("IT", "Europe/Rome"),
            Map.entry("NL", "Europe/Amsterdam"), Map.entry("BE", "Europe/Brussels"), Map.entry("AT", "Europe/Vienna"),
            Map.entry("CH", "Europe/Zurich"), Map.entry("PL", "Europe/Warsaw"), Map.entry("SE", "Europe/Stockholm"),
            Map.entry("NO", "Europe/Oslo"), Map.entry("DK", "Europe/Copenhagen"), Map.entry("FI", "Europe/Helsinki"),
            Map.entry("PT", "Europe/Lisbon"), Map.entry("GR", "Europe/Athens"), Map.entry("CZ", "Europe/Prague"),
            Map.entry("TR", "Europe/Istanbul"), Map.entry("RU", "Europe/Moscow"), Map.entry("UA", "Europe/Kyiv"),
            Map.entry("AE", "Asia/Dubai"), Map.entry("SA", "Asia/Riyadh"), Map.entry("IL", "Asia/Jerusalem"),
            Map.entry("EG", "Africa/Cairo"), Map.entry("ZA", "Africa/Johannesburg"), Map.entry("NG", "Africa/Lagos"),
            Map.entry("IN", "Asia/Kolkata"), Map.entry("PK", "Asia/Karachi"), Map.entry("BD", "Asia/Dhaka"),
            Map.entry("CN", "Asia/Shanghai"), Map.entry("HK", "Asia/Hong_Kong"), Map.entry("TW", "Asia/Taipei"),
            Map.entry("JP", "Asia/Tokyo"), Map.entry("KR", "Asia/Seoul"), Map.entry("SG", "Asia/Singapore"),
            Map.entry("MY", "Asia/Kuala_Lumpur"), Map.entry("ID", "Asia/Jakarta"), Map.entry("TH", "Asia/Bangkok"),
            Map.entry("VN", "Asia/Ho_Chi_Minh"), Map.entry("PH", "Asia/Manila"), Map.entry("AU", "Australia/Sydney"),
            Map.entry("NZ", "Pacific/Auckland"));

    private CustomerZones() {
    }

    static ZoneId of(Customer c) {
        return c == null ? ZoneOffset.UTC : of(c.getTimezone(), c.getCountry());
    }

    static ZoneId of(String timezone, String country) {
        if (timezone != null && !timezone.isBlank()) {
            try {
                return ZoneId.of(timezone);
            } catch (DateTimeException e) {
                // fall through to the country's zone
            }
        }
        String zone = country == null ? null : BY_COUNTRY.get(country.toUpperCase());
        return zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
    }
}
