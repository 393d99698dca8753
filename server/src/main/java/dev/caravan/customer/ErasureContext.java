package dev.caravan.customer;

import java.time.Instant;
import java.util.Set;

/**
 * What a {@link PersonalDataHolder} needs to erase one person: the customer id and the contact data and identity
 * keys read from the profile before erasure began (features that hold data not linked by customer id, such as
 * import error reports or suppression lists, find it by these values).
 *
 * @param customerIds  the customer and every customer merged into it (their records were moved, their ids may linger)
 * @param emails       normalised e-mail addresses (relay addresses included)
 * @param phones       E.164 phone numbers
 * @param names        display, first and last names (non-blank)
 * @param identityKeys the customer's identity keys ({@code email:..}, {@code phone:..}, {@code buyer:..})
 * @param reason       why: {@code request} (DELETE by an admin), {@code shopify:customers/redact}, {@code retention}
 */
public record ErasureContext(String customerId, Set<String> customerIds, Set<String> emails, Set<String> phones,
                             Set<String> names, Set<String> identityKeys, String reason, String actor, Instant at) {

    /** Whether a text contains any of the person's e-mails, phones or names (case-insensitive). */
    public boolean mentions(String text) {
        if (text == null || text.isEmpty()) return false;
        String t = text.toLowerCase(java.util.Locale.ROOT);
        for (Set<String> values : java.util.List.of(emails, phones, names)) {
            for (String v : values) {
                if (v != null && v.length() >= 3 && t.contains(v.toLowerCase(java.util.Locale.ROOT))) return true;
            }
        }
        if (!phones.isEmpty()) {
            String digits = t.replaceAll("[^0-9]", "");
            for (String p : phones) {
                String d = p.replaceAll("[^0-9]", "");
                if (d.length() >= 6 && digits.contains(d)) return true;
            }
        }
        return false;
    }
}
