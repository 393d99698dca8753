package dev.caravan.customer;

import dev.caravan.common.store.ByIds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.MongoBulkWriteException;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Identity resolution for a batch of records. Each record joins the customer that owns any of its buyer id,
 * e-mail or phone keys; a record whose keys belong to several customers merges them; a record with no known
 * key creates a customer. Relay e-mails only find the one buyer they belong to and never merge.
 * Then the records' profile data is applied with one read and one write per customer.
 * Callers hold the {@link CustomerWriteLock}.
 */
@Service
public class CustomerIngestor {

    private static final Logger log = LoggerFactory.getLogger(CustomerIngestor.class);

    private final MongoTemplate mongo;
    private final ContactNormalizer normalizer;
    private final CustomerMerger merger;
    private final Clock clock;

    public CustomerIngestor(MongoTemplate mongo, ContactNormalizer normalizer, CustomerMerger merger, Clock clock) {
        this.mongo = mongo;
        this.normalizer = normalizer;
        this.merger = merger;
        this.clock = clock;
    }

    /**
     * @param customerIds customer of each input (same order); null where the input was rejected
     * @param errors      input index to the reason it was rejected
     * @param changed     customers created or whose profile changed
     * @param created     customers created by this batch
     * @param consentChanges marketing consents this batch set or changed (for the messaging consent ledger)
     */
    public record Result(List<String> customerIds, Map<Integer, String> errors, Set<String> changed, Set<String> created,
                         List<ConsentChanged> consentChanges) {
    }

    private record Key(String key, IdentityKind kind) {
    }

    public Result ingest(List<ProfileInput> inputs, String actor) {
        Batch batch = new Batch(inputs, actor);
        batch.resolve();
        return batch.write();
    }

    /** The identity keys a record carries, strongest first (its buyer id, then e-mail, then phone). */
    public List<String> keysOf(ProfileInput in) {
        return keys(in).stream().map(Key::key).toList();
    }

    private List<Key> keys(ProfileInput in) {
        List<Key> keys = new ArrayList<>(3);
        if (in.platform() != null && in.buyerId() != null) {
            keys.add(new Key(normalizer.buyerKey(in.platform(), in.storeId(), in.buyerId()), IdentityKind.BUYER));
        }
        if (in.email() != null) {
            IdentityKind kind = normalizer.isRelayEmail(in.email()) ? IdentityKind.RELAY : IdentityKind.EMAIL;
            keys.add(new Key(normalizer.key(kind, in.email()), kind));
        }
        if (in.phone() != null) {
            keys.add(new Key(normalizer.phoneKey(in.phone()), IdentityKind.PHONE));
        }
        return keys;
    }

    /** State of one batch: which key belongs to whom, and which ids were folded into which. */
    private final class Batch {
        private final List<ProfileInput> inputs;
        private final String actor;
        private final Instant now = clock.instant();
        private final String[] assigned;
        private final Map<Integer, String> errors = new LinkedHashMap<>();
        private final Map<String, String> owner = new HashMap<>();        // key -> customer id
        private final Map<String, IdentityKind> newKeys = new LinkedHashMap<>();
        private final Map<String, String> redirect = new HashMap<>();     // folded id -> surviving id
        private final Set<String> newIds = new LinkedHashSet<>();
        private final Map<String, Customer> loaded = new HashMap<>();

        Batch(List<ProfileInput> inputs, String actor) {
            this.inputs = inputs;
            this.actor = actor;
            this.assigned = new String[inputs.size()];
        }

        void resolve() {
            Set<String> allKeys = new HashSet<>();
            Set<String> explicitIds = new HashSet<>();
            for (ProfileInput in : inputs) {
                keys(in).forEach(k -> allKeys.add(k.key()));
                if (in.customerId() != null) {
                    explicitIds.add(in.customerId());
                }
            }
            if (!allKeys.isEmpty()) {
                ByIds.find(mongo, allKeys, IdentityKey.class)
                        .forEach(k -> owner.put(k.key(), k.customerId()));
            }
            Set<String> known = new HashSet<>(owner.values());
            known.addAll(explicitIds);
            load(known);

            for (int i = 0; i < inputs.size(); i++) {
                ProfileInput in = inputs.get(i);
                List<Key> keys = keys(in);
                String id;
                if (in.customerId() != null) {
                    if (!loaded.containsKey(in.customerId())) {
                        errors.put(i, "customer " + in.customerId() + " does not exist");
                        continue;
                    }
                    if (loaded.get(in.customerId()).getErasedAt() != null) {
                        errors.put(i, "customer " + in.customerId() + " was erased");
                        continue;
                    }
                    id = in.customerId();
                } else if (keys.isEmpty()) {
                    errors.put(i, "no identity: give platform and buyerId, an e-mail or a phone");
                    continue;
                } else {
                    id = owning(keys, in);
                }
                assigned[i] = id;
                for (Key k : keys) {
                    if (!owner.containsKey(k.key())) {
                        owner.put(k.key(), id);
                        newKeys.put(k.key(), k.kind());
                    }
                }
            }
        }

        private String owning(List<Key> keys, ProfileInput in) {
            Set<String> owners = new LinkedHashSet<>();
            String relayOwner = null;
            for (Key k : keys) {
                String o = owner.get(k.key());
                if (o == null) continue;
                if (k.kind().joinsCustomers()) owners.add(find(o));
                else relayOwner = find(o);
            }
            if (owners.isEmpty()) {
                // A relay address finds its buyer only when the record names no buyer id of its own:
                // an unknown buyer id with a known relay address is a different buyer.
                boolean namesBuyer = keys.stream().anyMatch(k -> k.kind() == IdentityKind.BUYER);
                if (relayOwner != null && !namesBuyer) return relayOwner;
                String id = new ObjectId().toHexString();
                newIds.add(id);
                return id;
            }
            if (owners.size() == 1) return owners.iterator().next();
            return unify(owners, describe(keys, in));
        }

        /** Several customers share this record's keys: merge the stored ones, fold in the ones new in this batch. */
        private String unify(Set<String> owners, String reason) {
            List<Customer> stored = owners.stream().filter(loaded::containsKey).map(loaded::get).toList();
            String survivor;
            if (stored.isEmpty()) {
                survivor = owners.iterator().next();
            } else {
                survivor = CustomerMerger.survivorOf(stored).getId();
                for (Customer c : stored) {
                    if (!c.getId().equals(survivor)) {
                        merger.merge(survivor, c.getId(), reason, actor);
                        loaded.remove(c.getId());
                        redirect.put(c.getId(), survivor);
                    }
                }
                loaded.put(survivor, mongo.findById(survivor, Customer.class));
            }
            for (String id : owners) {
                if (!id.equals(survivor) && newIds.remove(id)) {
                    redirect.put(id, survivor);
                }
            }
            return survivor;
        }

        private String describe(List<Key> keys, ProfileInput in) {
            return "shared identity " + keys.stream().filter(k -> k.kind().joinsCustomers()).map(Key::key).toList()
                    + (in.source() == null ? "" : " from " + in.source());
        }

        private String find(String id) {
            String current = id;
            while (redirect.containsKey(current)) current = redirect.get(current);
            return current;
        }

        private void load(Set<String> ids) {
            if (!ids.isEmpty()) {
                ByIds.find(mongo, ids, Customer.class).forEach(c -> loaded.put(c.getId(), c));
            }
            // A key whose customer document is missing (e.g. a crash between the two writes) gets a new profile.
            for (String id : ids) {
                if (!loaded.containsKey(id)) newIds.add(id);
            }
        }

        Result write() {
            List<String> ids = new ArrayList<>(inputs.size());
            Map<String, List<ProfileInput>> byCustomer = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                String id = assigned[i] == null ? null : find(assigned[i]);
                ids.add(id);
                if (id != null) byCustomer.computeIfAbsent(id, x -> new ArrayList<>()).add(inputs.get(i));
            }
            writeKeys();

            Set<String> changed = new LinkedHashSet<>();
            Set<String> created = new LinkedHashSet<>();
            List<Customer> inserts = new ArrayList<>();
            BulkOperations updates = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Customer.class);
            boolean anyUpdate = false;
            List<ConsentChanged> consentChanges = new ArrayList<>();
            for (Map.Entry<String, List<ProfileInput>> e : byCustomer.entrySet()) {
                Customer existing = loaded.get(e.getKey());
                if (existing == null) {
                    Customer c = new Customer(e.getKey(), now);
                    e.getValue().forEach(in -> ProfileChanges.apply(c, in, normalizer, now));
                    consentChanges(c.getId(), Map.of(), c.getConsents(), consentChanges);
                    inserts.add(c);
                    created.add(c.getId());
                    changed.add(c.getId());
                } else {
                    Map<String, Consent> consentsBefore = new LinkedHashMap<>(existing.getConsents());
                    Update update = ProfileChanges.diff(existing, e.getValue(), normalizer, now);
                    consentChanges(existing.getId(), consentsBefore, existing.getConsents(), consentChanges);
                    if (update != null) {
                        updates.updateOne(Query.query(Criteria.where("_id").is(e.getKey())), update);
                        anyUpdate = true;
                        changed.add(e.getKey());
                    }
                }
            }
            if (!inserts.isEmpty()) mongo.insertAll(inserts);
            if (anyUpdate) updates.execute();
            return new Result(ids, errors, changed, created, consentChanges);
        }

        private void consentChanges(String id, Map<String, Consent> before, Map<String, Consent> after,
                                    List<ConsentChanged> out) {
            after.forEach((channel, c) -> {
                Consent old = before.get(channel);
                if (old == null || old.granted() != c.granted()) {
                    out.add(new ConsentChanged(id, channel, c.granted(), old == null ? null : old.granted(), c.source(),
                            c.updatedAt(), actor));
                }
            });
        }

        private void writeKeys() {
            if (newKeys.isEmpty()) return;
            List<IdentityKey> docs = new ArrayList<>(newKeys.size());
            newKeys.forEach((key, kind) -> docs.add(new IdentityKey(key, find(owner.get(key)), kind, now)));
            BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, IdentityKey.class);
            bulk.insert(docs);
            try {
                bulk.execute();
            } catch (BulkOperationException | MongoBulkWriteException e) {
                // Only another server can have written the same key meanwhile (this one holds the lock):
                // the key stays with whoever wrote it first, and the next record with it joins that customer.
                log.warn("Identity keys written concurrently by another server were kept as they are: {}", e.getMessage());
            }
        }
    }
}
