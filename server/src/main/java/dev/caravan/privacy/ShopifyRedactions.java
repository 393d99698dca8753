package dev.caravan.privacy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.caravan.connector.DataSubjectRequest;
import dev.caravan.connector.DataSubjectRequestReceived;
import dev.caravan.customer.CustomerService;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Honours Shopify {@code customers/redact}: the connector records the request durably and announces it; this erases
 * every Caravan customer the request's Shopify customer id, e-mail or phone belongs to (the whole profile: identity
 * resolution decided it is one person), buries tombstones for those identities even when no customer matched (a
 * later sync must not create them), and marks the request {@code completed} with its e-mail and phone removed.
 * Requests left {@code received} (a crash, a failure) are retried by a sweep.
 */
@Component
class ShopifyRedactions {

    private static final Logger log = LoggerFactory.getLogger(ShopifyRedactions.class);
    static final String REASON = "shopify:customers/redact";

    private final MongoTemplate mongo;
    private final DataRightsService rights;
    private final CustomerService customers;
    private final Clock clock;

    ShopifyRedactions(MongoTemplate mongo, DataRightsService rights, CustomerService customers, Clock clock) {
        this.mongo = mongo;
        this.rights = rights;
        this.customers = customers;
        this.clock = clock;
    }

    @EventListener
    void on(DataSubjectRequestReceived e) {
        if ("redact".equals(e.type())) {
            try {
                handle(e.requestId());
            } catch (RuntimeException ex) {
                log.error("Shopify redact request {} failed; the sweep retries it", e.requestId(), ex);
            }
        }
    }

    @Scheduled(fixedDelayString = "${caravan.privacy.redact-sweep:PT5M}", initialDelayString = "PT1M")
    @SchedulerLock(name = "privacy-shopify-redact")
    void sweep() {
        Query q = Query.query(Criteria.where("status").is("received").and("type").is("redact"));
        q.fields().include("_id");
        for (DataSubjectRequest r : mongo.find(q, DataSubjectRequest.class)) {
            try {
                handle(r.id());
            } catch (RuntimeException ex) {
                log.error("Shopify redact request {} failed again", r.id(), ex);
            }
        }
    }

    /** Erases what the request names; idempotent (a completed request is left alone). */
    void handle(String requestId) {
        DataSubjectRequest r = mongo.findById(requestId, DataSubjectRequest.class);
        if (r == null || !"received".equals(r.status())) return;
        Set<String> keys = rights.identityKeys(r.platform(), r.storeId(), r.platformCustomerId(), r.email(), r.phone());
        Set<String> ids = new LinkedHashSet<>(r.customerIds() == null ? List.of() : r.customerIds());
        for (String key : keys) customers.customerIdByKey(key).ifPresent(ids::add);
        rights.buryIdentities(keys, REASON);
        List<String> erased = new ArrayList<>();
        for (String id : ids) {
            try {
                ErasureRecord rec = rights.erase(id, REASON, "shopify:" + r.storeId());
                if (!"completed".equals(rec.status())) {
                    throw new IllegalStateException("erasure of customer " + id + " incomplete: " + rec.errors());
                }
                erased.add(id);
            } catch (dev.caravan.common.web.NotFoundException gone) {
                // merged away or already gone: nothing left under this id
            }
        }
        mongo.updateFirst(Query.query(Criteria.where("_id").is(requestId)), new Update().set("status", "completed")
                .set("completedAt", clock.instant()).set("erasedCustomerIds", erased).unset("email").unset("phone"),
                DataSubjectRequest.class);
        log.info("Shopify redact request {} completed: {} customer(s) erased, {} identities tombstoned", requestId,
                erased.size(), keys.size());
    }
}
