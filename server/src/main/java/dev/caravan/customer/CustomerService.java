package dev.caravan.customer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.caravan.common.store.ByIds;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.ConflictException;
import dev.caravan.common.web.FieldError;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.common.web.PageResponse;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/** Reads, searches and edits customer profiles. */
@Service
public class CustomerService {

    private static final Pattern PHONE_LIKE = Pattern.compile("^\\+?[0-9 ()./-]{6,}$");

    private final MongoTemplate mongo;
    private final ContactNormalizer normalizer;
    private final CustomerWriteLock lock;
    private final List<CustomerViewSection> sections;
    private final List<TimelineSource> timelineSources;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public CustomerService(MongoTemplate mongo, ContactNormalizer normalizer, CustomerWriteLock lock,
                           List<CustomerViewSection> sections, List<TimelineSource> timelineSources,
                           ApplicationEventPublisher events, Clock clock) {
        this.mongo = mongo;
        this.normalizer = normalizer;
        this.lock = lock;
        this.sections = sections;
        this.timelineSources = timelineSources;
        this.events = events;
        this.clock = clock;
    }

    public Customer get(String id) {
        Customer c = mongo.findById(id, Customer.class);
        if (c != null) {
            return c;
        }
        MergeRecord merged = mongo.findOne(Query.query(Criteria.where("absorbedId").is(id).and("undoneAt").is(null)),
                MergeRecord.class);
        throw new NotFoundException(merged == null ? "customer " + id + " not found"
                : "customer " + id + " was merged into customer " + merged.survivorId());
    }

    /**
     * Many customers in one read (by id, chunked); ids of customers that do not exist (or were merged away) are
     * absent from the map — {@link #get} says which.
     */
    public Map<String, Customer> getAll(Collection<String> ids) {
        Map<String, Customer> out = new HashMap<>();
        ByIds.find(mongo, new LinkedHashSet<>(ids), Customer.class)
                .forEach(c -> out.put(c.getId(), c));
        return out;
    }

    public Optional<String> customerIdByKey(String identityKey) {
        return Optional.ofNullable(mongo.findById(identityKey, IdentityKey.class)).map(IdentityKey::customerId);
    }

    /** The customer owning an E.164 phone number (through its blind-index key). */
    public Optional<String> customerIdByPhone(String e164) {
        return customerIdByKey(normalizer.phoneKey(e164));
    }

    /** The customer owning an e-mail address (normalised here; through its blind-index key). */
    public Optional<String> customerIdByEmail(String email) {
        try {
            return customerIdByKey(normalizer.emailKey(normalizer.email(email)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public List<String> identityKeysOf(String customerId) {
        return mongo.find(Query.query(Criteria.where("customerId").is(customerId)), IdentityKey.class)
                .stream().map(IdentityKey::key).toList();
    }

    public PageResponse<Customer> search(CustomerQuery query, int page, int size) {
        if (page < 0 || size < 1 || size > 1000) {
            throw new BadRequestException("page must be >= 0 and size between 1 and 1000");
        }
        Optional<Criteria> criteria = criteria(query);
        if (criteria.isEmpty()) {
            return PageResponse.of(List.of(), 0, page, size);
        }
        Query q = Query.query(criteria.get());
        long total = mongo.count(q, Customer.class);
        q.with(Sort.by("_id")).skip((long) page * size).limit(size);
        return PageResponse.of(mongo.find(q, Customer.class), total, page, size);
    }

    /** Every matching customer, read lazily (for exports). Close the stream. */
    public Stream<Customer> stream(CustomerQuery query) {
        return criteria(query).map(c -> mongo.stream(Query.query(c).with(Sort.by("_id")), Customer.class))
                .orElseGet(Stream::empty);
    }

    /** The store criteria for a query, or empty when the query cannot match anyone (unknown identity). */
    Optional<Criteria> criteria(CustomerQuery query) {
        List<Criteria> and = new ArrayList<>();
        if (query.identity() != null && !query.identity().isBlank()) {
            Optional<String> id = customerIdByKey(identityKeyOf(query.identity()));
            if (id.isEmpty()) return Optional.empty();
            and.add(Criteria.where("_id").is(id.get()));
        }
        if (query.q() != null && !query.q().isBlank()) {
            Optional<Criteria> text = textCriteria(query.q().trim());
            if (text.isEmpty()) return Optional.empty();
            and.add(text.get());
        }
        if (present(query.tier())) and.add(Criteria.where("tier").is(query.tier()));
        if (present(query.tag())) and.add(Criteria.where("tags").is(query.tag()));
        if (present(query.country())) and.add(Criteria.where("country").is(query.country().toUpperCase()));
        if (present(query.lifecycle())) and.add(Criteria.where("lifecycle").is(query.lifecycle()));
        if (present(query.level())) and.add(Criteria.where("level").is(query.level()));
        return Optional.of(and.isEmpty() ? new Criteria() : new Criteria().andOperator(and));
    }

    private Optional<Criteria> textCriteria(String q) {
        if (q.contains("@")) {
            String email;
            try {
                email = normalizer.email(q);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return customerIdByKey(normalizer.emailKey(email)).map(id -> Criteria.where("_id").is(id));
        }
        if (PHONE_LIKE.matcher(q).matches()) {
            try {
                return customerIdByKey(normalizer.phoneKey(normalizer.phone(q, null)))
                        .map(id -> Criteria.where("_id").is(id));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        // Names are encrypted: they are found by whole words through their blind index (every word of q must
        // be a word of the customer's display, first or last name), no longer by fragments.
        List<String> words = normalizer.nameIndex(q, null, null);
        if (words.isEmpty()) return Optional.of(Criteria.where("_id").is(q));
        return Optional.of(new Criteria().orOperator(Criteria.where("nameIndex").all(words),
                Criteria.where("_id").is(q)));
    }

    /** {@code platform:buyerId}, or {@code platform:storeId:buyerId} for store-scoped platforms. */
    String identityKeyOf(String identity) {
        int colon = identity.indexOf(':');
        if (colon <= 0 || colon == identity.length() - 1) {
            throw new BadRequestException("identity must look like platform:buyerId",
                    List.of(new FieldError("identity", "expected platform:buyerId, got '" + identity + "'")));
        }
        String platform = identity.substring(0, colon);
        String rest = identity.substring(colon + 1);
        String probe = normalizer.buyerKey(platform, "", "x");
        if (probe.contains("/")) {
            int second = rest.indexOf(':');
            if (second < 0) {
                throw new BadRequestException("identity for " + platform + " must look like " + platform
                        + ":storeId:buyerId, because its buyer ids are unique per store only");
            }
            return normalizer.buyerKey(platform, rest.substring(0, second), rest.substring(second + 1));
        }
        return normalizer.buyerKey(platform, null, rest);
    }

    public Customer patch(String id, CustomerPatch patch, String actor) {
        List<FieldError> errors = new ArrayList<>();
        Update update = new Update();
        setNormalised(update, "country", patch.country(), normalizer::country, errors);
        setNormalised(update, "language", patch.language(), normalizer::language, errors);
        setNormalised(update, "timezone", patch.timezone(), normalizer::timezone, errors);
        setNormalised(update, "currency", patch.currency(), normalizer::currency, errors);
        if (patch.displayName() != null) update.set("displayName", patch.displayName().trim());
        if (patch.firstName() != null) update.set("firstName", patch.firstName().trim());
        if (patch.lastName() != null) update.set("lastName", patch.lastName().trim());
        boolean namesChanged = patch.displayName() != null || patch.firstName() != null || patch.lastName() != null;
        if (patch.birthday() != null) {
            if (patch.birthday().isAfter(java.time.LocalDate.now(clock))) {
                errors.add(new FieldError("birthday", "lies in the future"));
            }
            update.set("birthday", patch.birthday());
        }
        if (patch.addresses() != null) update.set("addresses", patch.addresses());
        List<String> emails = normaliseAll(patch.emails(), "emails", e -> normalizer.email(e), errors);
        Customer current = get(id);
        List<String> phones = normaliseAll(patch.phones(), "phones",
                p -> normalizer.phone(p, current.getCountry()), errors);
        if (!errors.isEmpty()) {
            throw new BadRequestException("the patch has invalid fields; nothing was changed", errors);
        }
        return lock.call(() -> {
            Customer c = get(id);
            if (c.getErasedAt() != null) {
                throw new ConflictException("customer " + id + " was erased; a returning person is a new customer");
            }
            List<String> keysToAdd = new ArrayList<>();
            List<String> keysToRemove = new ArrayList<>();
            if (emails != null) {
                diffKeys(c.getEmails(), emails, IdentityKind.EMAIL, keysToAdd, keysToRemove);
                update.set("emails", emails);
            }
            if (phones != null) {
                diffKeys(c.getPhones(), phones, IdentityKind.PHONE, keysToAdd, keysToRemove);
                update.set("phones", phones);
            }
            for (String key : keysToAdd) {
                IdentityKey owner = mongo.findById(key, IdentityKey.class);
                if (owner != null && !owner.customerId().equals(id)) {
                    throw new ConflictException("the " + (key.startsWith("phone:") ? "phone number " : "e-mail ")
                            + valueOf(key, emails, phones) + " belongs to customer " + owner.customerId()
                            + "; merge the two customers instead");
                }
            }
            if (update.getUpdateObject().isEmpty()) {
                return c;
            }
            if (namesChanged) {
                update.set("nameIndex", normalizer.nameIndex(
                        patch.displayName() != null ? patch.displayName() : c.getDisplayName(),
                        patch.firstName() != null ? patch.firstName() : c.getFirstName(),
                        patch.lastName() != null ? patch.lastName() : c.getLastName()));
            }
            Instant now = clock.instant();
            update.set("updatedAt", now);
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), update, Customer.class);
            if (!keysToRemove.isEmpty()) {
                mongo.remove(Query.query(Criteria.where("_id").in(keysToRemove).and("customerId").is(id)), IdentityKey.class);
            }
            for (String key : keysToAdd) {
                IdentityKind kind = key.startsWith("email:") ? IdentityKind.EMAIL : IdentityKind.PHONE;
                mongo.save(new IdentityKey(key, id, kind, now));
            }
            events.publishEvent(new CustomersChanged(Set.of(id), "profile edited by " + actor, true));
            return get(id);
        });
    }

    /** The plain value (from the patch) behind a blind-index key, for messages. */
    private String valueOf(String key, List<String> emails, List<String> phones) {
        for (List<String> values : java.util.Arrays.asList(emails, phones)) {
            if (values == null) continue;
            for (String v : values) {
                if (key.equals(normalizer.key(IdentityKind.EMAIL, v)) || key.equals(normalizer.key(IdentityKind.PHONE, v))) {
                    return v;
                }
            }
        }
        return "";
    }

    private void diffKeys(List<String> before, List<String> after, IdentityKind kind, List<String> add, List<String> remove) {
        after.stream().filter(v -> !before.contains(v)).forEach(v -> add.add(normalizer.key(kind, v)));
        before.stream().filter(v -> !after.contains(v)).forEach(v -> remove.add(normalizer.key(kind, v)));
    }

    private void setNormalised(Update update, String field, String value,
                               java.util.function.UnaryOperator<String> normalise, List<FieldError> errors) {
        if (value == null) return;
        try {
            update.set(field, normalise.apply(value));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
        }
    }

    private List<String> normaliseAll(List<String> values, String field,
                                      java.util.function.UnaryOperator<String> normalise, List<FieldError> errors) {
        if (values == null) return null;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            try {
                String v = normalise.apply(values.get(i));
                if (!out.contains(v)) out.add(v);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field + "[" + i + "]", e.getMessage()));
            }
        }
        return out;
    }

    /** The 360 view: the profile plus every section other features contribute. */
    public Map<String, Object> view(String id, String baseCurrency) {
        Customer c = get(id);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("customer", CustomerDto.of(c, baseCurrency));
        sections.stream().sorted(Comparator.comparing(CustomerViewSection::name))
                .forEach(s -> view.put(s.name(), s.forCustomer(id)));
        return view;
    }

    public List<TimelineEntry> timeline(String id, Instant before, int limit) {
        get(id);
        return timelineSources.stream()
                .flatMap(s -> s.timeline(id, before, limit).stream())
                .sorted(Comparator.comparing(TimelineEntry::at).reversed())
                .limit(limit)
                .toList();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
