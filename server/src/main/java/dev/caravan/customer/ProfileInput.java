package dev.caravan.customer;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * Identity and profile facts about a buyer from one record (an event, a CSV row, a marketplace order), already
 * normalised by {@link ContactNormalizer}. Blank fields mean "not stated" and never erase stored data.
 *
 * @param customerId explicit Caravan customer id (bulk updates); when set, no identity matching takes place
 * @param consents   channel to marketing consent, as stated by this record
 * @param source     where the record came from, kept as evidence on consents (e.g. {@code event:e-17})
 */
public record ProfileInput(
        String customerId,
        String platform,
        String storeId,
        String buyerId,
        String email,
        String phone,
        String displayName,
        String firstName,
        String lastName,
        String country,
        String language,
        String timezone,
        String currency,
        LocalDate birthday,
        Address address,
        Map<String, Boolean> consents,
        String source,
        Instant at) {

    public ProfileInput {
        consents = consents == null ? Map.of() : Map.copyOf(consents);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean hasIdentity() {
        return customerId != null || (platform != null && buyerId != null) || email != null || phone != null;
    }

    /** A mutable builder, since most sources fill only a few of the fields. */
    public static final class Builder {
        private String customerId, platform, storeId, buyerId, email, phone, displayName, firstName, lastName,
                country, language, timezone, currency, source;
        private LocalDate birthday;
        private Address address;
        private Map<String, Boolean> consents = Map.of();
        private Instant at;

        public Builder customerId(String v) { customerId = v; return this; }
        public Builder platform(String v) { platform = v; return this; }
        public Builder storeId(String v) { storeId = v; return this; }
        public Builder buyerId(String v) { buyerId = v; return this; }
        public Builder email(String v) { email = v; return this; }
        public Builder phone(String v) { phone = v; return this; }
        public Builder displayName(String v) { displayName = v; return this; }
        public Builder firstName(String v) { firstName = v; return this; }
        public Builder lastName(String v) { lastName = v; return this; }
        public Builder country(String v) { country = v; return this; }
        public Builder language(String v) { language = v; return this; }
        public Builder timezone(String v) { timezone = v; return this; }
        public Builder currency(String v) { currency = v; return this; }
        public Builder birthday(LocalDate v) { birthday = v; return this; }
        public Builder address(Address v) { address = v; return this; }
        public Builder consents(Map<String, Boolean> v) { consents = v; return this; }
        public Builder source(String v) { source = v; return this; }
        public Builder at(Instant v) { at = v; return this; }

        public ProfileInput build() {
            return new ProfileInput(customerId, platform, storeId, buyerId, email, phone, displayName, firstName,
                    lastName, country, language, timezone, currency, birthday, address, consents, source, at);
        }
    }
}
