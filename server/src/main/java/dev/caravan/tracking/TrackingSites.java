package dev.caravan.tracking;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.NotFoundException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/** Shops that send storefront events, with their publishable keys; looked up per request through a short cache. */
@Service
public class TrackingSites {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CACHE_NANOS = 10_000_000_000L;

    private final MongoTemplate mongo;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<TrackingSite> site, long at) {
    }

    public record SiteRequest(String name, String storeId, List<String> origins) {
    }

    TrackingSites(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    public TrackingSite create(SiteRequest r, String actor) {
        List<FieldError> errors = new ArrayList<>();
        if (r == null || r.name() == null || r.name().isBlank() || r.name().length() > 120) {
            errors.add(new FieldError("name", "is required (at most 120 characters)"));
        }
        List<String> origins = new ArrayList<>();
        if (r == null || r.origins() == null || r.origins().isEmpty()) {
            errors.add(new FieldError("origins", "list the shop's origins, e.g. https://shop.example.com"));
        } else {
            for (String o : r.origins()) {
                String normal = origin(o);
                if (normal == null) errors.add(new FieldError("origins", "'" + o + "' is not an origin such as https://shop.example.com"));
                else origins.add(normal);
            }
        }
        if (r != null && r.storeId() != null && !r.storeId().matches("^[A-Za-z0-9._-]{1,80}$")) {
            errors.add(new FieldError("storeId", "letters, digits, . _ - (at most 80)"));
        }
        if (!errors.isEmpty()) throw new BadRequestException("the site is invalid", errors);
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        TrackingSite site = new TrackingSite("pk_" + HexFormat.of().formatHex(b), r.name().trim(), r.storeId(), origins,
                false, actor, clock.instant());
        return mongo.insert(site);
    }

    /** {@code scheme://host[:port]}, lowercase, or null. {@code *.} is allowed as the first host label. */
    static String origin(String raw) {
        if (raw == null || raw.length() > 300) return null;
        try {
            URI u = URI.create(raw.trim().replace("://*.", "://wildcard."));
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) return null;
            if (u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))
                    || u.getQuery() != null || u.getUserInfo() != null) return null;
            String host = u.getHost().toLowerCase().replace("wildcard.", "*.");
            return u.getScheme() + "://" + host + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public List<TrackingSite> list() {
        return mongo.find(new Query().with(Sort.by("createdAt")), TrackingSite.class);
    }

    public void revoke(String key) {
        if (mongo.updateFirst(Query.query(Criteria.where("_id").is(key)), Update.update("revoked", true), TrackingSite.class)
                .getMatchedCount() == 0) {
            throw new NotFoundException("site " + key + " not found");
        }
        cache.remove(key);
    }

    /** The active site of a key (cached for a few seconds), or empty. */
    Optional<TrackingSite> active(String key) {
        if (key == null || !key.matches("^pk_[0-9a-f]{32}$")) return Optional.empty();
        Cached c = cache.get(key);
        if (c == null || System.nanoTime() - c.at() > CACHE_NANOS) {
            TrackingSite s = mongo.findById(key, TrackingSite.class);
            c = new Cached(Optional.ofNullable(s).filter(x -> !x.revoked()), System.nanoTime());
            if (cache.size() > 10_000) cache.clear();
            cache.put(key, c);
        }
        return c.site();
    }
}
