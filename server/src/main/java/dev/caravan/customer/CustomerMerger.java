package dev.caravan.customer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.NotFoundException;
import org.bson.types.ObjectId;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Joins two customers into one and splits them again. A merge keeps a snapshot of both profiles and the list of
 * identity keys that moved; an unmerge restores the absorbed profile, gives its keys back and moves back the
 * records (orders, events...) that arrived with those keys, including ones that arrived after the merge.
 * Callers hold the {@link CustomerWriteLock}.
 */
@Service
public class CustomerMerger {

    private final MongoTemplate mongo;
    private final List<CustomerRecords> records;
    private final CustomerMetricsService metrics;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public CustomerMerger(MongoTemplate mongo, List<CustomerRecords> records, CustomerMetricsService metrics,
                          ApplicationEventPublisher events, Clock clock) {
        this.mongo = mongo;
        this.records = records;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
    }

    /** Picks the survivor among existing customers: the oldest, so long-standing ids stay valid. */
    static Customer survivorOf(List<Customer> customers) {
        return customers.stream()
                .min(Comparator.comparing(Customer::getCreatedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Customer::getId))
                .orElseThrow();
    }

    public MergeRecord merge(String survivorId, String absorbedId, String reason, String actor) {
        if (survivorId.equals(absorbedId)) {
            throw new IllegalArgumentException("a customer cannot be merged with itself");
        }
        Customer survivor = require(survivorId);
        Customer absorbed = require(absorbedId);
        if (survivor.getErasedAt() != null || absorbed.getErasedAt() != null) {
            // re-linking an erased person's anonymous records to a profile would undo the erasure
            throw new ConflictException("an erased customer cannot be merged");
        }
        List<String> movedKeys = mongo.find(Query.query(Criteria.where("customerId").is(absorbedId)), IdentityKey.class)
                .stream().map(IdentityKey::key).toList();
        Instant now = clock.instant();
        MergeRecord record = new MergeRecord(new ObjectId().toHexString(), survivorId, absorbedId, reason, actor, now,
                survivor, absorbed, movedKeys, null);
        // The record goes first: if anything below fails, the snapshot needed to repair it exists.
        mongo.insert(record);

        mongo.updateMulti(Query.query(Criteria.where("customerId").is(absorbedId)),
                Update.update("customerId", survivorId), IdentityKey.class);
        records.forEach(r -> r.reassign(absorbedId, survivorId));
        Map<String, Consent> consentsBefore = new LinkedHashMap<>(survivor.getConsents());
        Customer combined = combine(survivor, absorbed, now);
        mongo.save(combined);
        mongo.remove(Query.query(Criteria.where("_id").is(absorbedId)), Customer.class);
        metrics.recompute(List.of(survivorId));

        // consents the absorbed profile brought are consent changes of the survivor: the ledger records them
        combined.getConsents().forEach((channel, c) -> {
            Consent was = consentsBefore.get(channel);
            if (was == null || was.granted() != c.granted()) {
                events.publishEvent(new ConsentChanged(survivorId, channel, c.granted(), was == null ? null : was.granted(),
                        "merge:" + record.id() + " (from customer " + absorbedId + ", " + c.source() + ")", now, actor));
            }
        });
        events.publishEvent(new CustomersMerged(survivorId, absorbedId, record.id()));
        events.publishEvent(new CustomersChanged(Set.of(survivorId), "merge", true));
        return record;
    }

    /** Undoes the given merge, or every merge into this customer (newest first) when mergeId is null. */
    public List<MergeRecord> unmerge(String customerId, String mergeId, String actor) {
        require(customerId);
        List<MergeRecord> toUndo = activeMergesInto(customerId).stream()
                .filter(m -> mergeId == null || m.id().equals(mergeId)).toList();
        if (toUndo.isEmpty()) {
            throw new ConflictException(mergeId == null
                    ? "customer " + customerId + " has no merge to undo"
                    : "merge " + mergeId + " is not an active merge into customer " + customerId);
        }
        List<MergeRecord> undone = new ArrayList<>();
        for (MergeRecord m : toUndo) {
            undone.add(undo(m));
        }
        return undone;
    }

    public List<MergeRecord> activeMergesInto(String customerId) {
        return mongo.find(Query.query(Criteria.where("survivorId").is(customerId).and("undoneAt").is(null))
                .with(Sort.by(Sort.Direction.DESC, "mergedAt")), MergeRecord.class);
    }

    public List<MergeRecord> history(String customerId) {
        return mongo.find(Query.query(new Criteria().orOperator(Criteria.where("survivorId").is(customerId),
                        Criteria.where("absorbedId").is(customerId)))
                .with(Sort.by(Sort.Direction.DESC, "mergedAt")), MergeRecord.class);
    }

    private MergeRecord undo(MergeRecord m) {
        Customer survivor = require(m.survivorId());
        Customer restored = m.absorbed();
        if (mongo.findById(restored.getId(), Customer.class) != null) {
            throw new ConflictException("customer " + restored.getId() + " exists again; cannot restore it");
        }
        Instant now = clock.instant();
        restored.setUpdatedAt(now);
        mongo.insert(restored);
        if (!m.movedKeys().isEmpty()) {
            mongo.updateMulti(Query.query(Criteria.where("_id").in(m.movedKeys()).and("customerId").is(m.survivorId())),
                    Update.update("customerId", restored.getId()), IdentityKey.class);
            records.forEach(r -> r.reassignByIdentity(m.survivorId(), m.movedKeys(), restored.getId()));
        }
        mongo.save(subtract(survivor, m.survivorBefore(), restored, now));
        metrics.recompute(List.of(m.survivorId(), restored.getId()));
        MergeRecord undone = m.undone(now);
        mongo.save(undone);
        events.publishEvent(new CustomerUnmerged(m.survivorId(), restored.getId(), m.id()));
        events.publishEvent(new CustomersChanged(Set.of(m.survivorId(), restored.getId()), "unmerge", true));
        return undone;
    }

    private Customer require(String id) {
        Customer c = mongo.findById(id, Customer.class);
        if (c == null) {
            throw new NotFoundException("customer " + id + " not found");
        }
        return c;
    }

    /** The survivor's data wins; the absorbed customer fills gaps and adds its contacts and identities. */
    static Customer combine(Customer survivor, Customer absorbed, Instant now) {
        if (survivor.getDisplayName() == null) survivor.setDisplayName(absorbed.getDisplayName());
        if (survivor.getFirstName() == null) survivor.setFirstName(absorbed.getFirstName());
        if (survivor.getLastName() == null) survivor.setLastName(absorbed.getLastName());
        if (survivor.getCountry() == null) survivor.setCountry(absorbed.getCountry());
        if (survivor.getLanguage() == null) survivor.setLanguage(absorbed.getLanguage());
        if (survivor.getTimezone() == null) survivor.setTimezone(absorbed.getTimezone());
        if (survivor.getCurrency() == null) survivor.setCurrency(absorbed.getCurrency());
        if (survivor.getBirthday() == null) survivor.setBirthday(absorbed.getBirthday());
        survivor.setEmails(union(survivor.getEmails(), absorbed.getEmails()));
        survivor.setPhones(union(survivor.getPhones(), absorbed.getPhones()));
        survivor.setAddresses(union(survivor.getAddresses(), absorbed.getAddresses()));
        survivor.setIdentities(union(survivor.getIdentities(), absorbed.getIdentities()));
        Map<String, Consent> consents = new LinkedHashMap<>(survivor.getConsents());
        absorbed.getConsents().forEach((channel, c) -> consents.merge(channel, c, CustomerMerger::newer));
        survivor.setConsents(consents);
        Set<String> tags = new LinkedHashSet<>(survivor.getTags());
        tags.addAll(absorbed.getTags());
        survivor.setTags(tags);
        List<String> mergedFrom = new ArrayList<>(survivor.getMergedFrom());
        mergedFrom.add(absorbed.getId());
        survivor.setMergedFrom(mergedFrom);
        survivor.setUpdatedAt(now);
        return survivor;
    }

    /** Removes from the survivor what only the restored customer brought; keeps what arrived since. */
    static Customer subtract(Customer survivor, Customer before, Customer restored, Instant now) {
        survivor.setEmails(minus(survivor.getEmails(), restored.getEmails(), before.getEmails()));
        survivor.setPhones(minus(survivor.getPhones(), restored.getPhones(), before.getPhones()));
        survivor.setAddresses(minus(survivor.getAddresses(), restored.getAddresses(), before.getAddresses()));
        survivor.setIdentities(minus(survivor.getIdentities(), restored.getIdentities(), before.getIdentities()));
        Map<String, Consent> consents = new LinkedHashMap<>(survivor.getConsents());
        restored.getConsents().forEach((channel, c) -> {
            if (!before.getConsents().containsKey(channel) && Objects.equals(consents.get(channel), c)) {
                consents.remove(channel);
            }
        });
        survivor.setConsents(consents);
        List<String> mergedFrom = new ArrayList<>(survivor.getMergedFrom());
        mergedFrom.remove(restored.getId());
        survivor.setMergedFrom(mergedFrom);
        survivor.setUpdatedAt(now);
        return survivor;
    }

    private static Consent newer(Consent a, Consent b) {
        if (a.updatedAt() == null) return b;
        if (b.updatedAt() == null) return a;
        return b.updatedAt().isAfter(a.updatedAt()) ? b : a;
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        LinkedHashSet<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    private static <T> List<T> minus(List<T> current, List<T> brought, List<T> hadBefore) {
        List<T> result = new ArrayList<>(current);
        for (T item : brought) {
            if (!hadBefore.contains(item)) {
                result.remove(item);
            }
        }
        return result;
    }
}
