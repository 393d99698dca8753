package dev.caravan.connector;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.integrations.marketplace.ConnectionSpec;
import dev.caravan.integrations.marketplace.MarketplaceType;
import dev.caravan.integrations.marketplace.SettingField;
import dev.caravan.integrations.marketplace.SyncCursor;
import dev.caravan.security.SecretBox;
import org.bson.types.ObjectId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Connections: validation, encrypted credentials, and the status fields the sync and webhooks write. Every status
 * write is a field-level update of the one document, so it is atomic on the embedded store too.
 */
@Service
public class ConnectionService {

    private static final Pattern SHOP_DOMAIN = Pattern.compile("^[a-z0-9][a-z0-9.-]*\\.[a-z]{2,}$");
    private static final Pattern API_VERSION = Pattern.compile("^\\d{4}-\\d{2}$");
    private static final int LAST_SKIPPED = 20;

    private final MongoTemplate mongo;
    private final SecretBox secrets;
    private final JsonMapper json;
    private final ConnectorProperties props;
    private final Clock clock;
    private final List<Runnable> credentialListeners = new ArrayList<>();

    public ConnectionService(MongoTemplate mongo, SecretBox secrets, JsonMapper json, ConnectorProperties props,
                             Clock clock) {
        this.mongo = mongo;
        this.secrets = secrets;
        this.json = json;
        this.props = props;
        this.clock = clock;
    }

    // ---- reading

    public List<Connection> list() {
        return mongo.find(new Query().with(Sort.by("createdAt", "_id")), Connection.class);
    }

    public Optional<Connection> find(String id) {
        return Optional.ofNullable(mongo.findById(id, Connection.class));
    }

    public Connection get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("connection " + id + " does not exist"));
    }

    public ConnectionView view(Connection c) {
        return ConnectionView.of(c, clock.instant());
    }

    public MarketplaceType typeOf(Connection c) {
        return MarketplaceType.byId(c.getType()).orElseThrow();
    }

    /** The decrypted credentials; only for the length of a sync or a webhook check. */
    public Map<String, String> credentials(Connection c) {
        if (c.getSealedCredentials() == null) return Map.of();
        String plain = secrets.open(c.getSealedCredentials(), context(c.getId()));
        return json.readValue(plain, new TypeReference<Map<String, String>>() { });
    }

    public ConnectionSpec spec(Connection c) {
        MarketplaceType type = typeOf(c);
        String base = c.getBaseUrl() != null ? c.getBaseUrl() : type.defaultBaseUrl(c.getSettings());
        String auth = c.getAuthUrl() != null ? c.getAuthUrl() : type.defaultAuthUrl();
        return new ConnectionSpec(c.getId(), type, c.getStoreId(), base, auth, c.getSettings(), credentials(c));
    }

    // ---- API writes

    public Connection create(ConnectionRequest req, String actor) {
        List<FieldError> errors = new ArrayList<>();
        MarketplaceType type = null;
        if (req.type() == null || req.type().isBlank()) {
            errors.add(new FieldError("type", "is required: one of " + typeIds()));
        } else {
            type = MarketplaceType.byId(req.type()).orElse(null);
            if (type == null) errors.add(new FieldError("type", "'" + req.type() + "' is not one of " + typeIds()));
        }
        if (type == null) throw new BadRequestException("the connection is not valid", errors);
        Map<String, String> settings = settings(type, req.settings(), errors);
        Map<String, String> creds = new TreeMap<>();
        mergeCredentials(type, creds, req.credentials(), errors);
        for (SettingField f : type.credentials()) {
            if (f.required() && !creds.containsKey(f.name())) {
                errors.add(new FieldError("credentials." + f.name(), "is required"));
            }
        }
        Instant now = clock.instant();
        Connection c = new Connection();
        c.setId(new ObjectId().toHexString());
        c.setType(type.id());
        applyCommon(c, req, type, settings, errors, true);
        if (!errors.isEmpty()) throw new BadRequestException("the connection is not valid", errors);
        c.setEnabled(req.enabled() == null || req.enabled());
        c.setSyncFrom(req.syncFrom() != null ? req.syncFrom() : now.minus(props.initialLookback()));
        c.setLiveFrom(now);
        c.setNextRunAt(now);
        c.setCreatedAt(now);
        c.setCreatedBy(actor);
        c.setUpdatedAt(now);
        sealCredentials(c, creds);
        c.setPolled(polled(type, settings, creds));
        try {
            return mongo.insert(c);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("a connection for this account already exists (" + c.getAccountKey() + ")");
        }
    }

    public Connection update(String id, ConnectionRequest req) {
        Connection c = get(id);
        MarketplaceType type = typeOf(c);
        List<FieldError> errors = new ArrayList<>();
        if (req.type() != null && !type.id().equalsIgnoreCase(req.type().trim())) {
            errors.add(new FieldError("type", "cannot change; create a new connection instead"));
        }
        Map<String, String> settings = settings(type, req.settings() != null ? req.settings() : c.getSettings(), errors);
        Map<String, String> creds = new TreeMap<>(credentials(c));
        boolean credentialsChanged = req.credentials() != null && !req.credentials().isEmpty();
        mergeCredentials(type, creds, req.credentials(), errors);
        for (SettingField f : type.credentials()) {
            if (f.required() && !creds.containsKey(f.name())) {
                errors.add(new FieldError("credentials." + f.name(), "is required"));
            }
        }
        String accountBefore = c.getAccountKey();
        applyCommon(c, req, type, settings, errors, false);
        if (!errors.isEmpty()) throw new BadRequestException("the connection is not valid", errors);
        if (req.enabled() != null) c.setEnabled(req.enabled());
        if (req.syncFrom() != null) c.setSyncFrom(req.syncFrom());
        sealCredentials(c, creds);
        c.setPolled(polled(type, settings, creds));
        c.setUpdatedAt(clock.instant());
        Update u = new Update().set("name", c.getName()).set("enabled", c.isEnabled()).set("polled", c.isPolled())
                .set("storeId", c.getStoreId()).set("accountKey", c.getAccountKey()).set("settings", c.getSettings())
                .set("sealedCredentials", c.getSealedCredentials()).set("credentialNames", c.getCredentialNames())
                .set("baseUrl", c.getBaseUrl()).set("authUrl", c.getAuthUrl()).set("pollSeconds", c.getPollSeconds())
                .set("syncFrom", c.getSyncFrom()).set("updatedAt", c.getUpdatedAt());
        if (!accountBefore.equals(c.getAccountKey())) {
            u.set("cursors", Map.of()); // another account: start again from syncFrom
        }
        try {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), u, Connection.class);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("a connection for this account already exists (" + c.getAccountKey() + ")");
        }
        if (credentialsChanged) credentialListeners.forEach(Runnable::run);
        return get(id);
    }

    public Connection setEnabled(String id, boolean enabled) {
        get(id);
        Update u = new Update().set("enabled", enabled).set("updatedAt", clock.instant());
        if (enabled) u.set("nextRunAt", clock.instant()).set("consecutiveFailures", 0);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), u, Connection.class);
        return get(id);
    }

    /** Forgets the saved position: the next sync reads again from {@code from} (idempotent, nothing doubles). */
    public Connection resync(String id, Instant from) {
        Connection c = get(id);
        if (from != null && from.isAfter(clock.instant())) {
            throw new BadRequestException("from lies in the future", List.of(new FieldError("from", "lies in the future")));
        }
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().set("cursors", Map.of())
                .set("syncFrom", from != null ? from : c.getSyncFrom()).set("nextRunAt", clock.instant())
                .set("updatedAt", clock.instant()), Connection.class);
        return get(id);
    }

    public void delete(String id) {
        get(id);
        mongo.remove(Query.query(Criteria.where("_id").is(id)), Connection.class);
        credentialListeners.forEach(Runnable::run);
    }

    /** Runs when stored credentials change (cached access tokens must be forgotten). */
    void onCredentialsChanged(Runnable listener) {
        credentialListeners.add(listener);
    }

    // ---- status writes (sync and webhooks)

    /** Claims a due connection for a scheduled run; null when none is due. */
    Connection claimDue(String owner) {
        Instant now = clock.instant();
        Query q = Query.query(Criteria.where("enabled").is(true).and("polled").is(true).and("nextRunAt").lte(now)
                .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)));
        return mongo.findAndModify(q, lease(now, owner), FindAndModifyOptions.options().returnNew(true),
                Connection.class);
    }

    /** Claims a connection for a run asked for now; null when a sync of it is running. */
    Connection claimNow(String id, String owner) {
        Instant now = clock.instant();
        Query q = Query.query(Criteria.where("_id").is(id)
                .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)));
        return mongo.findAndModify(q, lease(now, owner), FindAndModifyOptions.options().returnNew(true),
                Connection.class);
    }

    private Update lease(Instant now, String owner) {
        return new Update().set("leaseUntil", now.plus(props.lease())).set("leaseOwner", owner).set("state", "running");
    }

    /** Releases the leases a server owner holds (its syncs are not running: it just started). */
    long releaseLeasesOf(String owner) {
        return mongo.updateMulti(Query.query(Criteria.where("leaseOwner").is(owner)), new Update().set("state", "idle")
                .unset("leaseUntil").unset("leaseOwner"), Connection.class).getModifiedCount();
    }

    /** A page is stored: save the cursor and counters, and renew the lease. */
    void pageStored(String id, String stream, SyncCursor next, int orders, int customers, List<String> skipped) {
        Instant now = clock.instant();
        Update u = new Update().set("cursors." + stream, next).set("leaseUntil", now.plus(props.lease()));
        if (orders > 0) u.inc("ordersSynced", orders);
        if (customers > 0) u.inc("customersSynced", customers);
        if (!skipped.isEmpty()) {
            u.inc("skippedRecords", skipped.size());
            u.push("lastSkipped").slice(-LAST_SKIPPED).each(skipped.stream()
                    .map(s -> now + " " + s).toArray());
        }
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), u, Connection.class);
    }

    void succeeded(String id, Duration pollInterval) {
        Instant now = clock.instant();
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().set("state", "idle")
                .set("lastSyncAt", now).set("lastSuccessAt", now).set("consecutiveFailures", 0)
                .set("nextRunAt", now.plus(pollInterval)).unset("leaseUntil").unset("leaseOwner"), Connection.class);
    }

    void failed(String id, String error, Duration retryIn) {
        Instant now = clock.instant();
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().set("state", "failed")
                .set("lastSyncAt", now).set("lastError", error).inc("errorCount", 1).inc("consecutiveFailures", 1)
                .set("nextRunAt", now.plus(retryIn)).unset("leaseUntil").unset("leaseOwner"), Connection.class);
    }

    /** A run ended without finishing (stopped): keep the position, run again at the next opportunity. */
    void released(String id) {
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().set("state", "idle")
                .set("lastSyncAt", clock.instant()).unset("leaseUntil").unset("leaseOwner"), Connection.class);
    }

    void webhook(String id, boolean accepted, List<String> skipped) {
        Instant now = clock.instant();
        Update u = new Update().inc(accepted ? "webhooksReceived" : "webhooksRejected", 1);
        if (!skipped.isEmpty()) {
            u.inc("skippedRecords", skipped.size());
            u.push("lastSkipped").slice(-LAST_SKIPPED).each(skipped.stream().map(s -> now + " " + s).toArray());
        }
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), u, Connection.class);
    }

    void countSynced(String id, int orders, int customers) {
        Update u = new Update();
        if (orders > 0) u.inc("ordersSynced", orders);
        if (customers > 0) u.inc("customersSynced", customers);
        if (!u.getUpdateObject().isEmpty()) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), u, Connection.class);
        }
    }

    /** The platform rotated a refresh token during a sync: keep the new one. */
    void rotateCredential(String id, String name, String value) {
        Connection c = get(id);
        Map<String, String> creds = new TreeMap<>(credentials(c));
        creds.put(name, value);
        sealCredentials(c, creds);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update()
                .set("sealedCredentials", c.getSealedCredentials()).set("credentialNames", c.getCredentialNames()),
                Connection.class);
    }

    Duration pollInterval(Connection c) {
        return c.getPollSeconds() > 0 ? Duration.ofSeconds(c.getPollSeconds()) : props.defaultPollInterval();
    }

    // ---- validation

    private void applyCommon(Connection c, ConnectionRequest req, MarketplaceType type, Map<String, String> settings,
                             List<FieldError> errors, boolean creating) {
        c.setName(req.name() != null && !req.name().isBlank() ? req.name().trim()
                : creating || c.getName() == null ? type.label() : c.getName());
        if (c.getName().length() > 200) errors.add(new FieldError("name", "is longer than 200 characters"));
        c.setSettings(settings);
        c.setStoreId(type.storeId(settings));
        c.setAccountKey(type.accountKey(settings));
        c.setBaseUrl(url("baseUrl", req.baseUrl(), errors));
        c.setAuthUrl(url("authUrl", req.authUrl(), errors));
        Duration poll = req.pollInterval() != null ? req.pollInterval()
                : creating ? props.defaultPollInterval() : Duration.ofSeconds(c.getPollSeconds());
        if (poll.compareTo(props.minPollInterval()) < 0) {
            errors.add(new FieldError("pollInterval", "must be at least " + props.minPollInterval()));
        }
        c.setPollSeconds(poll.getSeconds());
        if (req.syncFrom() != null && req.syncFrom().isAfter(clock.instant())) {
            errors.add(new FieldError("syncFrom", "lies in the future"));
        }
    }

    private Map<String, String> settings(MarketplaceType type, Map<String, String> given, List<FieldError> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> in = given == null ? Map.of() : given;
        in.forEach((k, v) -> {
            Optional<SettingField> f = type.field(k);
            if (f.isEmpty()) {
                errors.add(new FieldError("settings." + k, "is not a setting of " + type.id() + "; settings: "
                        + type.settings().stream().map(SettingField::name).toList()));
            } else if (f.get().secret()) {
                errors.add(new FieldError("settings." + k, "is a credential: send it in credentials"));
            } else if (v != null && !v.isBlank()) {
                out.put(k, v.trim());
            }
        });
        for (SettingField f : type.settings()) {
            if (f.required() && !out.containsKey(f.name())) {
                errors.add(new FieldError("settings." + f.name(), "is required: " + f.description()));
            }
        }
        check(out, "pageSize", errors, v -> Integer.parseInt(v) > 0, "must be a positive whole number");
        check(out, "fetchItems", errors, v -> v.equals("true") || v.equals("false"), "must be true or false");
        check(out, "backfill", errors, v -> v.equals("true") || v.equals("false"), "must be true or false");
        check(out, "region", errors, v -> List.of("na", "eu", "fe").contains(v.toLowerCase(Locale.ROOT)),
                "must be na, eu or fe");
        check(out, "apiVersion", errors, v -> API_VERSION.matcher(v).matches(), "must look like 2026-07");
        check(out, "shopDomain", errors, v -> SHOP_DOMAIN.matcher(v.toLowerCase(Locale.ROOT)).matches(),
                "must be a domain such as acme.myshopify.com");
        check(out, "timeZone", errors, v -> { ZoneId.of(v); return true; }, "must be an IANA time zone");
        if (out.containsKey("shopDomain")) out.put("shopDomain", out.get("shopDomain").toLowerCase(Locale.ROOT));
        return out;
    }

    private interface Check {
        boolean ok(String value) throws Exception;
    }

    private static void check(Map<String, String> settings, String name, List<FieldError> errors, Check check,
                              String message) {
        String v = settings.get(name);
        if (v == null) return;
        boolean ok;
        try {
            ok = check.ok(v);
        } catch (Exception e) {
            ok = false;
        }
        if (!ok) errors.add(new FieldError("settings." + name, "'" + v + "' " + message));
    }

    private static void mergeCredentials(MarketplaceType type, Map<String, String> into, Map<String, String> given,
                                         List<FieldError> errors) {
        if (given == null) return;
        given.forEach((k, v) -> {
            Optional<SettingField> f = type.field(k);
            if (f.isEmpty() || !f.get().secret()) {
                errors.add(new FieldError("credentials." + k, "is not a credential of " + type.id() + "; credentials: "
                        + type.credentials().stream().map(SettingField::name).toList()));
            } else if (v == null || v.isBlank()) {
                into.remove(k);
            } else {
                into.put(k, v.trim());
            }
        });
    }

    private static String url(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) return null;
        try {
            URI u = new URI(value.trim());
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                errors.add(new FieldError(field, "must be an http(s) URL"));
                return null;
            }
            return value.trim().replaceAll("/+$", "");
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "is not a URL"));
            return null;
        }
    }

    /**
     * Seals every connection's credentials again under the current primary key (key rotation); a connection whose
     * credentials were replaced meanwhile keeps the new ones. Returns how many were rewritten.
     */
    long resealCredentials(java.util.function.LongConsumer progress) {
        long n = 0;
        for (Connection c : mongo.find(new Query(), Connection.class)) {
            String sealed = c.getSealedCredentials();
            if (sealed != null && !secrets.isCurrent(sealed)) {
                String resealed = secrets.reseal(sealed, context(c.getId()));
                n += mongo.updateFirst(Query.query(Criteria.where("_id").is(c.getId()).and("sealedCredentials").is(sealed)),
                        new Update().set("sealedCredentials", resealed), Connection.class).getModifiedCount();
            }
            progress.accept(1);
        }
        return n;
    }

    private void sealCredentials(Connection c, Map<String, String> creds) {
        c.setCredentialNames(new ArrayList<>(creds.keySet()));
        c.setSealedCredentials(creds.isEmpty() ? null : secrets.seal(json.writeValueAsString(creds), context(c.getId())));
    }

    private static boolean polled(MarketplaceType type, Map<String, String> settings, Map<String, String> creds) {
        return type.polled(settings) && (type != MarketplaceType.SHOPIFY || creds.containsKey("accessToken"));
    }

    private static String context(String id) {
        return "connection:" + id + ":credentials";
    }

    private static List<String> typeIds() {
        List<String> ids = new ArrayList<>();
        for (MarketplaceType t : MarketplaceType.values()) ids.add(t.id());
        return ids;
    }
}
