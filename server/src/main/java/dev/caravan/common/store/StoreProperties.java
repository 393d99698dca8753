package dev.caravan.common.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded MongoDB wire-protocol server, used only when {@code spring.mongodb.uri} is unset.
 *
 * @param embeddedBackend {@code h2} (a file under the data directory, survives restarts) or {@code memory}
 * @param database        database name used for the embedded server
 */
@ConfigurationProperties("caravan.store")
public record StoreProperties(
        @DefaultValue("h2") String embeddedBackend,
        @DefaultValue("caravan") String database) {
}
