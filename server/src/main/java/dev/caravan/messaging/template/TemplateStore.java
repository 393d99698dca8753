package dev.caravan.messaging.template;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.caravan.common.web.NotFoundException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Message templates: the defaults bundled under {@code messaging/templates/<name>/<channel>.<language>.tmpl} and the
 * versions marketers save at run time (MongoDB {@code message_template_versions}, the active version in
 * {@code message_templates}). Saving validates the file and activates it at once; any earlier version, or the
 * bundled default (version 0), can be activated again. Active versions are cached for a few seconds, so every server
 * picks up a change within that time without a restart.
 */
@Service
public class TemplateStore {

    private static final Logger log = LoggerFactory.getLogger(TemplateStore.class);
    static final String ACTIVE = "message_templates";
    static final String VERSIONS = "message_template_versions";
    private static final Duration CACHE_TTL = Duration.ofSeconds(3);

    /** One line of the template list. */
    public record TemplateInfo(String name, String channel, String language, int activeVersion, String origin,
                               String purpose, String description) {
    }

    /** One stored version. */
    public record VersionInfo(int version, Instant createdAt, String createdBy, String comment, boolean active) {
    }

    private record Cached(ActiveTemplate active, Instant checkedAt) {
    }

    private final MongoTemplate mongo;
    private final Clock clock;
    private final Map<TemplateKey, MessageTemplate> bundled = new TreeMap<>(Comparator.comparing(TemplateKey::id));
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile Map<String, Set<String>> customLanguages = Map.of();
    private volatile Instant customLanguagesAt = Instant.EPOCH;

    public TemplateStore(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
        loadBundled();
    }

    private void loadBundled() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:messaging/templates/*/*.tmpl");
            for (Resource r : files) {
                String url = r.getURL().toString();
                String[] segments = url.split("/");
                String name = segments[segments.length - 2];
                String file = segments[segments.length - 1];
                String stem = file.substring(0, file.length() - ".tmpl".length());
                int dot = stem.indexOf('.');
                TemplateKey key = new TemplateKey(name, stem.substring(0, dot), stem.substring(dot + 1));
                try (InputStream in = r.getInputStream()) {
                    bundled.put(key, TemplateSyntax.parse(key, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            log.info("Loaded {} bundled message templates", bundled.size());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled message templates", e);
        }
    }

    /** Validates a template file without saving it. */
    public MessageTemplate parse(TemplateKey key, String source) {
        return TemplateSyntax.parse(key, source);
    }

    /** The active version for exactly this key, if any. */
    public Optional<ActiveTemplate> find(TemplateKey key) {
        Instant now = clock.instant();
        Cached c = cache.get(key.id());
        if (c != null && Duration.between(c.checkedAt(), now).compareTo(CACHE_TTL) < 0) {
            return Optional.ofNullable(c.active());
        }
        Document pointer = mongo.getCollection(ACTIVE).find(new Document("_id", key.id())).first();
        ActiveTemplate active;
        int version = pointer == null ? 0 : pointer.getInteger("activeVersion", 0);
        if (c != null && c.active() != null && c.active().version() == version) {
            active = c.active();
        } else if (version == 0) {
            MessageTemplate b = bundled.get(key);
            active = b == null ? null : new ActiveTemplate(b, 0, "bundled");
        } else {
            active = new ActiveTemplate(version(key, version), version, "custom");
        }
        cache.put(key.id(), new Cached(active, now));
        return Optional.ofNullable(active);
    }

    /**
     * The template for a channel in the best language for the customer: the exact tag, then the same language in
     * any region (zh-TW finds zh-CN), then the default language.
     */
    public ActiveTemplate resolve(String name, String channel, String language, String defaultLanguage) {
        Set<String> available = languages(name, channel);
        if (available.isEmpty()) {
            throw new NotFoundException("template '" + name + "' has no " + channel + " version");
        }
        for (String candidate : candidates(language, defaultLanguage, available)) {
            Optional<ActiveTemplate> t = find(new TemplateKey(name, channel, candidate));
            if (t.isPresent()) return t.get();
        }
        String any = available.iterator().next();
        return find(new TemplateKey(name, channel, any))
                .orElseThrow(() -> new NotFoundException("template '" + name + "' has no " + channel + " version"));
    }

    static List<String> candidates(String language, String defaultLanguage, Set<String> available) {
        List<String> out = new ArrayList<>();
        if (language != null && !language.isBlank()) {
            String tag = Locale.forLanguageTag(language.replace('_', '-')).toLanguageTag();
            out.add(tag);
            String base = Locale.forLanguageTag(tag).getLanguage();
            out.add(base);
            available.stream().filter(a -> Locale.forLanguageTag(a).getLanguage().equals(base)).sorted().forEach(out::add);
        }
        out.add(defaultLanguage);
        return out;
    }

    /** Whether the template exists for this channel in any language. */
    public boolean exists(String name, String channel) {
        return !languages(name, channel).isEmpty();
    }

    public Set<String> languages(String name, String channel) {
        Set<String> out = new LinkedHashSet<>();
        bundled.keySet().stream().filter(k -> k.name().equals(name) && k.channel().equals(channel))
                .forEach(k -> out.add(k.language()));
        out.addAll(customLanguages().getOrDefault(name + "/" + channel, Set.of()));
        return out;
    }

    private Map<String, Set<String>> customLanguages() {
        Instant now = clock.instant();
        if (Duration.between(customLanguagesAt, now).compareTo(CACHE_TTL) >= 0) {
            Map<String, Set<String>> m = new ConcurrentHashMap<>();
            for (Document d : mongo.getCollection(ACTIVE).find()) {
                m.computeIfAbsent(d.getString("name") + "/" + d.getString("channel"), k -> new LinkedHashSet<>())
                        .add(d.getString("language"));
            }
            customLanguages = m;
            customLanguagesAt = now;
        }
        return customLanguages;
    }

    public List<TemplateInfo> list() {
        Map<String, TemplateInfo> out = new TreeMap<>();
        Set<TemplateKey> keys = new LinkedHashSet<>(bundled.keySet());
        for (Document d : mongo.getCollection(ACTIVE).find()) {
            keys.add(new TemplateKey(d.getString("name"), d.getString("channel"), d.getString("language")));
        }
        for (TemplateKey k : keys) {
            find(k).ifPresent(a -> out.put(k.id(), new TemplateInfo(k.name(), k.channel(), k.language(), a.version(),
                    a.origin(), a.template().purpose(), a.template().header("description"))));
        }
        return List.copyOf(out.values());
    }

    /** Validates and stores a new version, which becomes active. */
    public ActiveTemplate save(TemplateKey key, String source, String user, String comment) {
        MessageTemplate parsed = TemplateSyntax.parse(key, source);
        Instant now = clock.instant();
        Document pointer = mongo.findAndModify(Query.query(Criteria.where("_id").is(key.id())),
                new Update().inc("lastVersion", 1).setOnInsert("name", key.name()).setOnInsert("channel", key.channel())
                        .setOnInsert("language", key.language()),
                FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, ACTIVE);
        int version = pointer.getInteger("lastVersion");
        mongo.getCollection(VERSIONS).insertOne(new Document("_id", key.id() + "@" + version).append("key", key.id())
                .append("version", version).append("source", source).append("createdAt", java.util.Date.from(now))
                .append("createdBy", user).append("comment", comment));
        mongo.updateFirst(Query.query(Criteria.where("_id").is(key.id())), new Update().set("activeVersion", version)
                .set("updatedAt", now).set("updatedBy", user), ACTIVE);
        ActiveTemplate active = new ActiveTemplate(parsed, version, "custom");
        cache.put(key.id(), new Cached(active, now));
        customLanguagesAt = Instant.EPOCH;
        return active;
    }

    /** Makes an earlier version (or the bundled default, version 0) active again. */
    public ActiveTemplate activate(TemplateKey key, int version, String user) {
        if (version == 0 && !bundled.containsKey(key)) {
            throw new NotFoundException("template " + key + " has no bundled default");
        }
        MessageTemplate t = version == 0 ? bundled.get(key) : version(key, version);
        Instant now = clock.instant();
        mongo.upsert(Query.query(Criteria.where("_id").is(key.id())), new Update().set("activeVersion", version)
                .set("updatedAt", now).set("updatedBy", user).setOnInsert("name", key.name())
                .setOnInsert("channel", key.channel()).setOnInsert("language", key.language())
                .setOnInsert("lastVersion", 0), ACTIVE);
        ActiveTemplate active = new ActiveTemplate(t, version, version == 0 ? "bundled" : "custom");
        cache.put(key.id(), new Cached(active, now));
        customLanguagesAt = Instant.EPOCH;
        return active;
    }

    public MessageTemplate version(TemplateKey key, int version) {
        if (version == 0) {
            MessageTemplate b = bundled.get(key);
            if (b == null) throw new NotFoundException("template " + key + " has no bundled default");
            return b;
        }
        Document d = mongo.getCollection(VERSIONS).find(new Document("_id", key.id() + "@" + version)).first();
        if (d == null) {
            throw new NotFoundException("template " + key + " has no version " + version);
        }
        return TemplateSyntax.parse(key, d.getString("source"));
    }

    public List<VersionInfo> versions(TemplateKey key) {
        int active = find(key).map(ActiveTemplate::version).orElse(-1);
        List<VersionInfo> out = new ArrayList<>();
        if (bundled.containsKey(key)) {
            out.add(new VersionInfo(0, null, "bundled", "default shipped with the server", active == 0));
        }
        for (Document d : mongo.getCollection(VERSIONS).find(new Document("key", key.id()))) {
            int v = d.getInteger("version");
            java.util.Date at = d.getDate("createdAt");
            out.add(new VersionInfo(v, at == null ? null : at.toInstant(), d.getString("createdBy"),
                    d.getString("comment"), v == active));
        }
        out.sort(Comparator.comparingInt(VersionInfo::version));
        if (out.isEmpty()) {
            throw new NotFoundException("template " + key + " does not exist");
        }
        return out;
    }

    Map<TemplateKey, MessageTemplate> bundled() {
        return new LinkedHashMap<>(bundled);
    }
}
