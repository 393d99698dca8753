package dev.caravan.customer;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param relayEmailDomains     domains of marketplace relay addresses; {@code x.*} matches any top-level domain.
 *                              Such addresses recognise one buyer but never merge two customers.
 * @param storeScopedPlatforms  platforms whose buyer ids are unique per store only (a Shopify customer id means
 *                              nothing in another shop), so their identity key includes the store id
 * @param defaultPhoneRegion    region used to read phone numbers written without a country code when the
 *                              record has no country
 */
@ConfigurationProperties("caravan.identity")
public record IdentityProperties(
        @DefaultValue({"marketplace.amazon.*", "members.ebay.*"}) List<String> relayEmailDomains,
        @DefaultValue({"shopify", "woocommerce", "storefront"}) List<String> storeScopedPlatforms,
        @DefaultValue("US") String defaultPhoneRegion) {
}
