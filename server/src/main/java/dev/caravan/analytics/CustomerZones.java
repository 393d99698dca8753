package dev.caravan.analytics;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Each customer's local time zone for the best send hour: the profile's {@code timezone} when it is a valid zone
 * id, else the default zone of the profile's country ({@code caravan.analytics.default-zones}), else the analytics
 * zone.
 */
@Component
class CustomerZones {

    private final MongoTemplate mongo;
    private final ZoneId fallback;
    private final Map<String, ZoneId> byCountry = new HashMap<>();

    CustomerZones(MongoTemplate mongo, AnalyticsProperties props) {
        this.mongo = mongo;
        this.fallback = ZoneId.of(props.zone());
        for (String entry : props.defaultZones()) {
            int eq = entry.indexOf('=');
            if (eq > 0) byCountry.put(entry.substring(0, eq).trim().toUpperCase(java.util.Locale.ROOT), ZoneId.of(entry.substring(eq + 1).trim()));
        }
    }

    ZoneId fallback() {
        return fallback;
    }

    /** Zones of every customer ({@code ids} null) or of these; customers not listed use {@link #fallback()}. */
    Map<String, ZoneId> load(Collection<String> ids) {
        Document filter = ids == null ? new Document() : new Document("_id", new Document("$in", PurchaseReader.idValues(ids)));
        Map<String, ZoneId> out = new HashMap<>();
        for (Document d : mongo.getCollection("customers").find(filter)
                .projection(new Document("timezone", 1).append("country", 1)).batchSize(5000)) {
            ZoneId zone = zoneOf(d.getString("timezone"), d.getString("country"));
            if (!zone.equals(fallback)) out.put(String.valueOf(d.get("_id")), zone);
        }
        return out;
    }

    ZoneId zoneOf(String timezone, String country) {
        if (timezone != null && !timezone.isBlank()) {
            try {
                return ZoneId.of(timezone.trim());
            } catch (DateTimeException ignored) {
                // fall through to the country
            }
        }
        if (country != null) {
            ZoneId z = byCountry.get(country.toUpperCase(java.util.Locale.ROOT));
            if (z != null) return z;
        }
        return fallback;
    }
}
