package dev.caravan.tracking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of storefront tracking ({@code caravan.tracking.*}).
 *
 * @param perKeyPerMinute      requests one publishable key may send per minute (per server)
 * @param perIpPerMinute       requests one client address may send per minute (per server)
 * @param maxEventsPerRequest  events in one request
 * @param maxBodyBytes         size of one request
 * @param maxBufferedEvents    events kept for an anonymous visitor until they identify (oldest dropped)
 * @param anonymousRetention   anonymous visitors unseen for this long are deleted (with their buffered events)
 * @param botFilter            what counts as a bot: user agents matching {@code userAgents} (case-insensitive
 *                             regular expression; an empty user agent is a bot too) and, with {@code webdriver},
 *                             browsers that report being automated ({@code navigator.webdriver})
 */
@ConfigurationProperties("caravan.tracking")
public record TrackingProperties(
        @DefaultValue("6000") int perKeyPerMinute,
        @DefaultValue("240") int perIpPerMinute,
        @DefaultValue("50") int maxEventsPerRequest,
        @DefaultValue("65536") int maxBodyBytes,
        @DefaultValue("200") int maxBufferedEvents,
        @DefaultValue("30d") Duration anonymousRetention,
        @DefaultValue BotFilter botFilter) {

    public record BotFilter(
            @DefaultValue("true") boolean webdriver,
            @DefaultValue("bot|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|quora link preview|"
                    + "whatsapp|preview|headless|phantomjs|puppeteer|playwright|lighthouse|pingdom|uptime|monitor|"
                    + "curl|wget|python-requests|python-urllib|httpclient|okhttp|java/|go-http-client|libwww|scrapy")
            String userAgents) {
    }
}
