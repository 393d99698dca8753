package dev.caravan.campaign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Tracked campaign links: {@code <public base url>/t/r/<token>}, the token naming campaign and customer and signed
 * with the campaign's secret (HMAC-SHA256), so nobody can forge clicks for others or redirect anywhere but the
 * campaign's own link.
 */
@Component
class Clicks {

    private final MongoTemplate mongo;
    private final Clock clock;
    private final String baseUrl;

    Clicks(MongoTemplate mongo, Clock clock, Environment env) {
        this.mongo = mongo;
        this.clock = clock;
        String base = env.getProperty("caravan.messaging.public-base-url", "http://localhost:8080");
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    String url(Campaign c, String customerId) {
        String body = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((c.id + ":" + customerId).getBytes(StandardCharsets.UTF_8));
        return baseUrl + "/t/r/" + body + "." + sign(c.secret, body);
    }

    /** Records the click and answers the campaign's link, or empty for a token that is not genuine. */
    Optional<String> click(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || token.length() > 600) return Optional.empty();
        String body = token.substring(0, dot);
        String ids;
        try {
            ids = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = ids.indexOf(':');
        if (colon <= 0) return Optional.empty();
        Campaign c = mongo.findById(ids.substring(0, colon), Campaign.class);
        if (c == null || c.link == null || !MessageDigest.isEqual(sign(c.secret, body).getBytes(StandardCharsets.UTF_8),
                token.substring(dot + 1).getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        mongo.updateFirst(Query.query(Criteria.where("_id").is(CampaignSend.idOf(c.id, ids.substring(colon + 1)))),
                new Update().min("clickedAt", clock.instant()), CampaignSend.class);
        return Optional.of(c.link);
    }

    private static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] d = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
