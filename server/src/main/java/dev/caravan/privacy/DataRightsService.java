package dev.caravan.privacy;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.caravan.customer.ContactNormalizer;
import dev.caravan.customer.Customer;
import dev.caravan.customer.CustomerMerger;
import dev.caravan.customer.CustomerService;
import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.MergeRecord;
import dev.caravan.customer.PersonalDataHolder;
import dev.caravan.customer.PlatformIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.caravan.common.audit.AuditEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Service;

/**
 * Export and erasure of one person across every feature, through the {@link PersonalDataHolder}s.
 * <p>
 * Erasure: (1) the person's identity keys become tombstones (keyed hashes), so from then on ingestion refuses
 * records about them; (2) the holders run in their order: journeys are cancelled and their timers removed,
 * queued messages suppressed, then events, orders, imports, connectors, rules and analytics are anonymised or
 * deleted, and the profile last becomes an anonymous stub; (3) a report per section is stored in {@code erasures}.
 * Repeating an erasure is harmless: a completed one is answered from its report; a failed one runs again.
 */
@Service
public class DataRightsService {

    private static final Logger log = LoggerFactory.getLogger(DataRightsService.class);

    private final MongoTemplate mongo;
    private final CustomerService customers;
    private final CustomerMerger merger;
    private final ContactNormalizer normalizer;
    private final List<PersonalDataHolder> holders;
    private final Tombstones tombstones;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DataRightsService(MongoTemplate mongo, CustomerService customers, CustomerMerger merger, ContactNormalizer normalizer,
                      List<PersonalDataHolder> holders, Tombstones tombstones, ApplicationEventPublisher events,
                      Clock clock) {
        this.mongo = mongo;
        this.customers = customers;
        this.merger = merger;
        this.normalizer = normalizer;
        this.holders = holders.stream().sorted(Comparator.comparingInt(PersonalDataHolder::erasureOrder)
                .thenComparing(PersonalDataHolder::section)).toList();
        this.tombstones = tombstones;
        this.events = events;
        this.clock = clock;
    }

    /** Every section of every feature about this customer. 404 for unknown customers. */
    public Map<String, Object> export(String customerId, String actor) {
        Customer c = customers.get(customerId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("customerId", customerId);
        out.put("exportedAt", clock.instant());
        if (c.getErasedAt() != null) out.put("erasedAt", c.getErasedAt());
        holders.stream().sorted(Comparator.comparing(PersonalDataHolder::section))
                .forEach(h -> out.put(h.section(), h.export(customerId)));
        events.publishEvent(new PersonalDataExported(customerId, actor, clock.instant()));
        events.publishEvent(AuditEvent.personalDataExport("customer:" + customerId, "data-export", Map.of()));
        return out;
    }

    /** The sections holders contribute (for docs and tests). */
    public List<String> sections() {
        return holders.stream().map(PersonalDataHolder::section).sorted().toList();
    }

    public Optional<ErasureRecord> report(String customerId) {
        return Optional.ofNullable(mongo.findById(customerId, ErasureRecord.class));
    }

    /**
     * Erases a customer everywhere; idempotent.
     *
     * @param reason {@code request}, {@code shopify:customers/redact}, {@code retention}
     */
    public ErasureRecord erase(String customerId, String reason, String actor) {
        Optional<ErasureRecord> done = report(customerId).filter(r -> "completed".equals(r.status()));
        Customer c = mongo.findById(customerId, Customer.class);
        if (c == null || c.getErasedAt() != null) {
            if (done.isPresent()) return done.get();
            if (c == null) customers.get(customerId); // 404, or "was merged into ..." for an absorbed id
        }
        Instant now = clock.instant();
        ErasureContext ctx = context(c, reason, actor, now);
        long buried = tombstones.bury(ctx.identityKeys(), now, reason);
        mongo.save(new ErasureRecord(customerId, reason, actor, now, null, "running", buried, Map.of(), Map.of()));

        Map<String, ErasureResult> sections = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (PersonalDataHolder h : holders) {
            if (h.erasureOrder() == Integer.MAX_VALUE && !errors.isEmpty()) {
                continue; // keep the profile (and with it what a retry needs) until every other section is done
            }
            try {
                sections.merge(h.section(), h.erase(ctx), DataRightsService::combine);
            } catch (RuntimeException e) {
                log.error("Erasure of customer {}: section {} failed", customerId, h.section(), e);
                errors.put(h.section(), e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        String status = errors.isEmpty() ? "completed" : "failed";
        ErasureRecord record = new ErasureRecord(customerId, reason, actor, now, clock.instant(), status, buried,
                sections, errors);
        mongo.save(record);
        long changed = sections.values().stream().mapToLong(ErasureResult::total).sum();
        log.info("Erased customer {} ({}, by {}): {} records changed, {} tombstones{}", customerId, reason, actor,
                changed, buried, errors.isEmpty() ? "" : "; FAILED sections " + errors.keySet() + ", repeat the erasure");
        if (errors.isEmpty()) events.publishEvent(new CustomerErased(customerId, reason, actor, now, changed));
        events.publishEvent(new AuditEvent(AuditEvent.Actions.CUSTOMER_ERASE, "customer:" + customerId,
                reason == null ? "customer erased" : reason, Map.of("records", changed, "tombstones", buried),
                null, null, errors.isEmpty() ? "success" : "failure", actor, null, null));
        return record;
    }

    /** Tombstones for identities of a person Caravan may not know yet (a platform's redact request). */
    long buryIdentities(Set<String> identityKeys, String reason) {
        return tombstones.bury(identityKeys, clock.instant(), reason);
    }

    private static ErasureResult combine(ErasureResult a, ErasureResult b) {
        Map<String, Long> counts = new LinkedHashMap<>(a.counts());
        b.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
        return new ErasureResult(counts, a.note() == null ? b.note() : a.note());
    }

    /** What the holders need, read before anything changes: ids, contact values, names and identity keys. */
    private ErasureContext context(Customer c, String reason, String actor, Instant now) {
        Set<String> ids = new LinkedHashSet<>();
        Set<String> emails = new LinkedHashSet<>();
        Set<String> phones = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        ids.add(c.getId());
        ids.addAll(c.getMergedFrom());
        collect(c, emails, phones, names, keys);
        for (MergeRecord m : merger.history(c.getId())) {
            // only merges still in force: an undone merge gave the absorbed customer back as a person of their own
            if (c.getId().equals(m.survivorId()) && m.undoneAt() == null) {
                ids.add(m.absorbedId());
                if (m.absorbed() != null) collect(m.absorbed(), emails, phones, names, keys);
                if (m.movedKeys() != null) keys.addAll(m.movedKeys());
            }
        }
        keys.addAll(customers.identityKeysOf(c.getId()));
        for (String e : emails) keys.add(normalizer.emailKey(e));
        for (String p : phones) keys.add(normalizer.phoneKey(p));
        return new ErasureContext(c.getId(), Set.copyOf(ids), Set.copyOf(emails), Set.copyOf(phones), Set.copyOf(names),
                Set.copyOf(keys), reason, actor, now);
    }

    private void collect(Customer c, Set<String> emails, Set<String> phones, Set<String> names, Set<String> keys) {
        emails.addAll(c.getEmails());
        phones.addAll(c.getPhones());
        for (String n : new String[]{c.getDisplayName(), c.getFirstName(), c.getLastName(), c.name()}) {
            // names shorter than 4 letters would match unrelated text in error reports and notes
            if (n != null && n.trim().length() >= 4) names.add(n.trim());
        }
        for (PlatformIdentity i : c.getIdentities()) {
            if (i.buyerId() != null) keys.add(normalizer.buyerKey(i.platform(), i.storeId(), i.buyerId()));
            if (i.email() != null) emails.add(i.email());
        }
    }

    /** Identity keys for raw contact values as a platform sent them; unparseable values are skipped. */
    Set<String> identityKeys(String platform, String storeId, String buyerId, String email, String phone) {
        Set<String> keys = new LinkedHashSet<>();
        if (platform != null && buyerId != null) keys.add(normalizer.buyerKey(platform, storeId, buyerId));
        try {
            if (email != null) {
                String e = normalizer.email(email);
                keys.add(normalizer.emailKey(e));
            }
        } catch (IllegalArgumentException ignored) {
            // not an address
        }
        try {
            if (phone != null) keys.add(normalizer.phoneKey(normalizer.phone(phone, null)));
        } catch (IllegalArgumentException ignored) {
            // not a number
        }
        return keys;
    }
}
