package dev.caravan.messaging;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Messaging settings ({@code caravan.messaging.*}); every one has a default.
 *
 * @param consumers         concurrent Camel consumers sending from the outbox
 * @param queueSize         in-memory hand-over queue between the outbox and the consumers
 * @param sweepInterval     how often due messages (deferred, retried, left by a crash) are picked up
 * @param lease             how long a server owns a message it is sending; longer than any channel timeout
 * @param nodeId            this server's name on leases; default host name plus a hash of the data directory
 * @param publicBaseUrl     where customers reach this server (unsubscribe links)
 * @param unsubscribeMailto optional {@code mailto:} address added to {@code List-Unsubscribe}
 * @param defaultLanguage   template language when the customer's has none
 * @param shop              shop name, URL and support address available to templates as {@code shop.*}
 * @param implicitMarketingChannels channels where marketing needs no opt-in, only the absence of an opt-out
 * @param whatsappSessionWindow how long after a customer's last WhatsApp message free-form text is allowed
 */
@ConfigurationProperties("caravan.messaging")
public record MessagingProperties(
        @DefaultValue("16") int consumers,
        @DefaultValue("20000") int queueSize,
        @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue("2m") Duration lease,
        String nodeId,
        @DefaultValue("http://localhost:8080") String publicBaseUrl,
        String unsubscribeMailto,
        @DefaultValue("en") String defaultLanguage,
        @DefaultValue Shop shop,
        @DefaultValue("inbox") List<String> implicitMarketingChannels,
        @DefaultValue("24h") Duration whatsappSessionWindow,
        @DefaultValue FrequencyCap frequencyCap,
        @DefaultValue QuietHours quietHours,
        @DefaultValue("") List<String> holidays,
        @DefaultValue Retry retry,
        @DefaultValue Attribution attribution,
        @DefaultValue Rates ratePerSecond,
        @DefaultValue Marketplace amazon,
        @DefaultValue Marketplace ebay) {

    public record Shop(@DefaultValue("Caravan Shop") String name, @DefaultValue("http://localhost:8080") String url,
                       String supportEmail) {
    }

    /**
     * @param maxMarketing marketing messages allowed per customer per window, across all channels (0: no cap)
     * @param action       {@code suppress} (default: the message is dropped with reason frequency_cap) or {@code defer}
     */
    public record FrequencyCap(@DefaultValue("1") int maxMarketing, @DefaultValue("24h") Duration window,
                               @DefaultValue("suppress") String action) {
    }

    /**
     * Marketing is held back between {@code start} and {@code end} in the customer's time zone (overnight when start
     * is after end) and deferred to {@code end}.
     *
     * @param defaultZone zone for customers without one
     */
    public record QuietHours(@DefaultValue("true") boolean enabled, @DefaultValue("21:00") LocalTime start,
                             @DefaultValue("08:00") LocalTime end, @DefaultValue("UTC") String defaultZone) {
    }

    /** Exponential backoff for transient failures: initial × multiplier^(attempt-1), capped, with ±20 % jitter. */
    public record Retry(@DefaultValue("6") int maxAttempts, @DefaultValue("30s") Duration initialBackoff,
                        @DefaultValue("2.0") double multiplier, @DefaultValue("1h") Duration maxBackoff) {
    }

    /** Sends per second per channel on this server (0: unlimited). */
    public record Rates(@DefaultValue("1000") double email, @DefaultValue("80") double whatsapp,
                        @DefaultValue("1") double amazon, @DefaultValue("5") double ebay,
                        @DefaultValue("5000") double inbox) {

        public double of(Channel c) {
            return switch (c) {
                case EMAIL -> email;
                case WHATSAPP -> whatsapp;
                case AMAZON -> amazon;
                case EBAY -> ebay;
                case INBOX -> inbox;
            };
        }
    }

    /** Orders placed within {@code window} after a message that reached the customer are attributed to it. */
    public record Attribution(@DefaultValue("7d") Duration window) {
    }

    /**
     * A marketplace messaging API.
     *
     * @param accessToken          a static access token (tests, short scripts)
     * @param clientId             OAuth client for the refresh-token grant (Amazon LWA, eBay)
     * @param refreshToken         the seller's refresh token
     * @param tokenUri             token endpoint; default Amazon LWA / eBay identity
     * @param defaultMarketplaceId Amazon marketplace when the order does not say
     */
    public record Marketplace(String baseUri, String accessToken, String clientId, String clientSecret,
                              String refreshToken, String tokenUri, String scope, String defaultMarketplaceId,
                              @DefaultValue("20s") Duration timeout) {

        @Override
        public String toString() { // never the tokens or the client secret (security.Masked)
            return "Marketplace[baseUri=" + baseUri + ", accessToken=" + dev.caravan.security.Masked.of(accessToken)
                    + ", clientId=" + clientId + ", clientSecret=" + dev.caravan.security.Masked.of(clientSecret)
                    + ", refreshToken=" + dev.caravan.security.Masked.of(refreshToken) + ", tokenUri=" + tokenUri
                    + ", scope=" + scope + ", defaultMarketplaceId=" + defaultMarketplaceId + ", timeout=" + timeout + "]";
        }
    }
}
