package dev.caravan.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.caravan.common.web.NotFoundException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/** Issues, checks and revokes API keys. */
@Service
public class ApiKeyService {

    static final String PREFIX = "cvk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoTemplate mongo;
    private final Clock clock;

    public ApiKeyService(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** A new key and its full secret value, which is never shown again. */
    public record Issued(ApiKey key, String value) {
    }

    public Issued issue(String name, Set<Role> roles, String createdBy) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (roles == null || roles.isEmpty()) throw new IllegalArgumentException("at least one role is required");
        String id = random(9);
        String secret = random(32);
        ApiKey key = new ApiKey(id, name.trim(), sha256(secret), Set.copyOf(roles), createdBy, clock.instant());
        mongo.insert(key);
        return new Issued(key, PREFIX + id + "_" + secret);
    }

    /** The key a header value stands for, if it is valid. */
    public Optional<ApiKey> verify(String value) {
        if (value == null || !value.startsWith(PREFIX)) return Optional.empty();
        String rest = value.substring(PREFIX.length());
        int sep = rest.indexOf('_');
        if (sep <= 0) return Optional.empty();
        ApiKey key = mongo.findById(rest.substring(0, sep), ApiKey.class);
        if (key == null) return Optional.empty();
        byte[] expected = key.secretHash().getBytes(StandardCharsets.US_ASCII);
        byte[] actual = sha256(rest.substring(sep + 1)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual) ? Optional.of(key) : Optional.empty();
    }

    public List<ApiKey> list() {
        return mongo.find(new Query().with(Sort.by("createdAt")), ApiKey.class);
    }

    public void revoke(String id) {
        if (mongo.remove(Query.query(org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)),
                ApiKey.class).getDeletedCount() == 0) {
            throw new NotFoundException("API key " + id + " not found");
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('_', 'x').replace('-', 'y');
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
