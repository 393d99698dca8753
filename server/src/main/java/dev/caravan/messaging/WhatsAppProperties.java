package dev.caravan.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * WhatsApp Business Cloud API ({@code caravan.whatsapp.*}, e.g. {@code CARAVAN_WHATSAPP_TOKEN}).
 *
 * @param phoneNumberId the business phone number's id in the Cloud API
 * @param token         a system-user access token
 * @param appSecret     the Meta app secret: webhooks must carry a matching {@code X-Hub-Signature-256}
 * @param verifyToken   the token Meta echoes when the webhook is registered ({@code GET /webhooks/whatsapp})
 */
@ConfigurationProperties("caravan.whatsapp")
public record WhatsAppProperties(
        String phoneNumberId,
        String token,
        @DefaultValue("https://graph.facebook.com") String baseUri,
        @DefaultValue("v23.0") String apiVersion,
        String appSecret,
        String verifyToken) {

    @Override
    public String toString() { // never the tokens or the app secret (security.Masked)
        return "WhatsAppProperties[phoneNumberId=" + phoneNumberId + ", token=" + dev.caravan.security.Masked.of(token)
                + ", baseUri=" + baseUri + ", apiVersion=" + apiVersion + ", appSecret="
                + dev.caravan.security.Masked.of(appSecret) + ", verifyToken=" + dev.caravan.security.Masked.of(verifyToken)
                + "]";
    }
}
