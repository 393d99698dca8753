package dev.caravan.integrations.marketplace;

/** A postal address as the platform sent it (country as ISO 3166-1 alpha-2 where the platform gives one). */
public record MarketplaceAddress(String line1, String line2, String city, String region, String postalCode,
                                 String country) {
}
