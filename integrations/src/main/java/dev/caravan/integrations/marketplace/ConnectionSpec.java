package dev.caravan.integrations.marketplace;

import java.util.Map;

/**
 * What a route needs to talk to one seller account: decrypted credentials live only in this object, in memory,
 * for the length of a sync. {@link #toString()} never prints them.
 *
 * @param baseUrl the API address (the type's default or the connection's override, e.g. a sandbox or a stub)
 * @param authUrl the token endpoint (default or override); null for types without token refresh
 */
public record ConnectionSpec(String id, MarketplaceType type, String storeId, String baseUrl, String authUrl,
                             Map<String, String> settings, Map<String, String> credentials) {

    public ConnectionSpec {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        baseUrl = trimSlash(baseUrl);
        authUrl = trimSlash(authUrl);
    }

    public String setting(String name) {
        String v = settings.get(name);
        if (v == null || v.isBlank()) {
            v = type.field(name).map(SettingField::defaultValue).orElse(null);
        }
        return v;
    }

    public int intSetting(String name, int min, int max) {
        String v = setting(name);
        try {
            int n = v == null ? max : Integer.parseInt(v.trim());
            return Math.max(min, Math.min(max, n));
        } catch (NumberFormatException e) {
            return max;
        }
    }

    public String credential(String name) {
        String v = credentials.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public String requireCredential(String name) {
        String v = credential(name);
        if (v == null) {
            throw new SyncException("the connection has no " + name + " credential", false);
        }
        return v;
    }

    private static String trimSlash(String url) {
        if (url == null) return null;
        String u = url.trim();
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }

    @Override
    public String toString() {
        return "ConnectionSpec[" + type.id() + " " + id + " store " + storeId + " at " + baseUrl
                + ", credentials " + credentials.keySet() + "]";
    }
}
