package dev.caravan.tracking;

import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A seller's own shop that may send storefront events. The {@code _id} is the publishable key ({@code pk_...}): it is
 * public by design (it sits in the shop's HTML), can only add behaviour events for that shop, and reads nothing.
 *
 * @param origins the shop's origins ({@code https://shop.example.com}; {@code https://*.example.com} for every
 *                subdomain) allowed to call the ingestion endpoint from a browser
 */
@Document("tracking_sites")
public record TrackingSite(@MongoId(FieldType.STRING) String key, String name, String storeId, List<String> origins,
                           boolean revoked, String createdBy, Instant createdAt) {

    boolean allows(String origin) {
        if (origin == null) return false;
        for (String o : origins) {
            if (o.equalsIgnoreCase(origin)) return true;
            int star = o.indexOf("://*.");
            if (star > 0) {
                String scheme = o.substring(0, star + 3);
                String suffix = o.substring(star + 4);   // ".example.com"
                if (origin.regionMatches(true, 0, scheme, 0, scheme.length())
                        && origin.toLowerCase().endsWith(suffix.toLowerCase())
                        && origin.length() > scheme.length() + suffix.length()) {
                    return true;
                }
            }
        }
        return false;
    }
}
