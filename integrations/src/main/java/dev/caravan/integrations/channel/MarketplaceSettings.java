package dev.caravan.integrations.channel;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Settings for one marketplace messaging API.
 *
 * @param baseUri     e.g. {@code https://sellingpartnerapi-eu.amazon.com} or {@code https://api.ebay.com}
 * @param accessToken supplies a current access token (static, or refreshed by the server's OAuth client)
 */
public record MarketplaceSettings(String baseUri, Supplier<String> accessToken, Duration timeout) {
}
