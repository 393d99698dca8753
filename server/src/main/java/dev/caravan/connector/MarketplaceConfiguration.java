package dev.caravan.connector;

import java.time.Clock;

import dev.caravan.integrations.marketplace.HttpSettings;
import dev.caravan.integrations.marketplace.MarketplaceRoutes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import dev.caravan.integrations.marketplace.SyncHost;
import org.springframework.beans.factory.ObjectProvider;

/** Registers the marketplace routes of the integrations module with the server's Camel context. */
@Configuration(proxyBeanMethods = false)
class MarketplaceConfiguration {

    @Bean
    MarketplaceRoutes marketplaceRoutes(ConnectorProperties props, Clock clock, ObjectProvider<SyncService> host) {
        HttpSettings http = new HttpSettings(props.maxAttempts(), props.maxRateLimitWaits(), props.initialBackoff(),
                props.maxWait(), props.httpTimeout());
        return new MarketplaceRoutes(new MarketplaceRoutes.Options(http, props.windowLag(),
                props.schedulerEnabled() ? props.schedulerPeriod() : null, props.concurrentSyncs()), clock,
                new SyncHost() {
                    @Override
                    public java.util.List<String> claimDue() {
                        return host.getObject().claimDue();
                    }

                    @Override
                    public void runClaimed(String connectionId) {
                        host.getObject().runClaimed(connectionId);
                    }
                });
    }
}
