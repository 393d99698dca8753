package dev.caravan.connector;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Body of {@code POST} and {@code PUT /api/v1/connections}. On update, credentials not sent keep their stored
 * values (clients never get them back, so they cannot resend them); an empty string removes an optional one.
 *
 * @param settings     the type's settings ({@code GET /connections/types})
 * @param credentials  the type's secrets: stored encrypted, never returned
 * @param baseUrl      overrides the platform's API address (sandboxes, stubs)
 * @param authUrl      overrides the token endpoint
 * @param pollInterval time between syncs, ISO-8601 (PT15M)
 * @param syncFrom     where the first sync starts; default the configured look-back before now
 */
public record ConnectionRequest(String type, String name, Boolean enabled, Map<String, String> settings,
                                Map<String, String> credentials, String baseUrl, String authUrl,
                                Duration pollInterval, Instant syncFrom) {

    @Override
    public String toString() { // credentials by name only, never their values
        return "ConnectionRequest[type=" + type + ", name=" + name + ", enabled=" + enabled + ", settings=" + settings
                + ", credentials=" + (credentials == null ? null : credentials.keySet()) + ", baseUrl=" + baseUrl
                + ", authUrl=" + authUrl + ", pollInterval=" + pollInterval + ", syncFrom=" + syncFrom + "]";
    }
}
