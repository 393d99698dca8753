package dev.caravan.integrations.marketplace;

/**
 * One setting or credential a connection of some type takes.
 *
 * @param secret       a credential: stored encrypted, never returned, never logged
 * @param defaultValue used when the connection does not set it; null when none
 */
public record SettingField(String name, boolean required, boolean secret, String defaultValue, String description) {

    static SettingField required(String name, String description) {
        return new SettingField(name, true, false, null, description);
    }

    static SettingField optional(String name, String defaultValue, String description) {
        return new SettingField(name, false, false, defaultValue, description);
    }

    static SettingField secret(String name, boolean required, String description) {
        return new SettingField(name, required, true, null, description);
    }
}
