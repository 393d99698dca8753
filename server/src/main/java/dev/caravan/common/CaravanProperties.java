package dev.caravan.common;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server-wide settings. Every value has a default so that {@code java -jar} needs no configuration.
 *
 * @param dataDir       where the embedded store, uploads and runtime-edited files live
 * @param demo          load the bundled demo data when the store holds no customers
 * @param adminPassword password of the {@code admin} user; generated and printed once when unset
 */
@ConfigurationProperties("caravan")
public record CaravanProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("true") boolean demo,
        String adminPassword) {

    public Path resolve(String child) {
        return dataDir.resolve(child).toAbsolutePath().normalize();
    }
}
