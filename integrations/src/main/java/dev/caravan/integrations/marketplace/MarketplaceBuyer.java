package dev.caravan.integrations.marketplace;

import java.time.Instant;
import java.util.Map;

/**
 * Who bought, as far as the platform reveals (Amazon only with the buyer-information role; e-mails may be the
 * platform's relay addresses). Values are raw: the server normalises and drops what does not parse.
 *
 * @param buyerId   the platform's buyer or customer id (eBay user name, Shopify customer id...)
 * @param consents  channel (email, sms) to marketing consent where the platform states it
 * @param updatedAt when the platform last changed this buyer (customer records), else null
 */
public record MarketplaceBuyer(String buyerId, String email, String phone, String name, String firstName,
                               String lastName, String country, String language, String currency,
                               MarketplaceAddress address, Map<String, Boolean> consents, Instant updatedAt) {

    public MarketplaceBuyer {
        consents = consents == null ? Map.of() : Map.copyOf(consents);
    }

    public boolean isEmpty() {
        return buyerId == null && email == null && phone == null;
    }
}
