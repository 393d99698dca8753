package dev.caravan.messaging;

import java.time.Clock;

import dev.caravan.integrations.channel.ChannelRoutes;
import dev.caravan.integrations.channel.MailSettings;
import dev.caravan.integrations.channel.MarketplaceSettings;
import dev.caravan.integrations.channel.WhatsAppSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the channel routes of the integrations module from {@code caravan.mail.*}, {@code caravan.whatsapp.*} etc. */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";
    private static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    private static final Logger log = LoggerFactory.getLogger(MessagingConfiguration.class);

    static {
        // Jakarta Mail finds its StreamProvider through ServiceLoader on every MIME part it creates (a class-path scan
        // per part, a tenth of the CPU of an e-mail); naming the implementation makes each lookup a plain class load.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            try {
                Class.forName(ANGUS_STREAM_PROVIDER, false, MessagingConfiguration.class.getClassLoader());
                System.setProperty(STREAM_PROVIDER, ANGUS_STREAM_PROVIDER);
            } catch (ClassNotFoundException e) {
                // another Jakarta Mail implementation: keep its own lookup
            }
        }
    }

    @Bean
    ChannelRoutes channelRoutes(MailProperties mail, WhatsAppProperties whatsApp, MessagingProperties messaging,
                                InboxStore inbox, BounceHandler bounces, Clock clock) {
        MailProperties.Bounce b = mail.bounce();
        MailSettings mailSettings = new MailSettings(mail.host(), mail.port(), mail.from(), mail.username(),
                mail.password(), mail.starttls(), mail.ssl(), mail.connectionTimeout(), mail.timeout(), mail.heloName(),
                mail.messageIdDomain(), new MailSettings.BounceMailbox(b.enabled(), b.protocol(),
                b.host() == null ? mail.host() : b.host(), b.port(), b.username(), b.password(), b.folder(),
                b.pollInterval()));
        MessagingProperties.Marketplace amazon = messaging.amazon();
        MessagingProperties.Marketplace ebay = messaging.ebay();
        ChannelRoutes routes = new ChannelRoutes(mailSettings,
                new WhatsAppSettings(whatsApp.phoneNumberId(), whatsApp.token(), whatsApp.baseUri(), whatsApp.apiVersion()),
                new MarketplaceSettings(amazon.baseUri() == null ? "https://sellingpartnerapi-na.amazon.com" : amazon.baseUri(),
                        new MarketplaceTokens("Amazon", amazon, false, "https://api.amazon.com/auth/o2/token", clock),
                        amazon.timeout()),
                new MarketplaceSettings(ebay.baseUri() == null ? "https://api.ebay.com" : ebay.baseUri(),
                        new MarketplaceTokens("eBay", ebay, true, "https://api.ebay.com/identity/v1/oauth2/token", clock),
                        ebay.timeout()),
                inbox, bounces, clock);
        log.info("Message channels: {}", routes.describe());
        return routes;
    }
}
