package dev.caravan.integrations.channel;

/**
 * WhatsApp Business Cloud API settings.
 *
 * @param baseUri    Graph API host, {@code https://graph.facebook.com} (a stub in tests)
 * @param apiVersion e.g. {@code v23.0}
 */
public record WhatsAppSettings(String phoneNumberId, String token, String baseUri, String apiVersion) {

    public boolean configured() {
        return phoneNumberId != null && !phoneNumberId.isBlank() && token != null && !token.isBlank();
    }
}
