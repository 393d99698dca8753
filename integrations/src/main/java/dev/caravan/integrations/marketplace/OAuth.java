package dev.caravan.integrations.marketplace;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** The refresh-token grant shared by Amazon (Login with Amazon), eBay and AliExpress token endpoints. */
final class OAuth {

    private OAuth() {
    }

    /**
     * Sends the token request, caches the access token and hands a rotated refresh token to the listener.
     *
     * @return the new access token
     */
    static String refresh(SyncContext ctx, HttpCall tokenCall) {
        HttpReply reply = ctx.sendUnauthorised(tokenCall);
        JsonNode body;
        try {
            body = Json.parse(reply.body());
        } catch (MalformedRecordException e) {
            throw new SyncException("the token endpoint answered something unreadable", true, reply.status(), null);
        }
        String token = Json.text(body, "access_token");
        if (token == null) {
            throw new SyncException("the token endpoint gave no access_token"
                    + (Json.text(body, "error") == null ? "" : " (" + Json.text(body, "error") + ")"), false);
        }
        Instant expires = null;
        String expiresIn = Json.text(body, "expires_in");
        if (expiresIn != null) {
            try {
                expires = ctx.now().plusSeconds(Long.parseLong(expiresIn));
            } catch (NumberFormatException ignored) {
                // unknown lifetime: used until the platform rejects it
            }
        }
        ctx.tokens().put(ctx.spec().id(), token, expires);
        String rotated = Json.text(body, "refresh_token");
        if (rotated != null && !rotated.equals(ctx.spec().credential("refreshToken"))) {
            ctx.listener().onRefreshTokenRotated(rotated);
        }
        return token;
    }
}
