package dev.caravan.connector;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.ContactNormalizer;
import dev.caravan.customer.IdentityKey;
import dev.caravan.ingest.IngestPipeline;
import dev.caravan.ingest.IngestRecord;
import dev.caravan.integrations.marketplace.Json;
import dev.caravan.integrations.marketplace.MalformedRecordException;
import dev.caravan.integrations.marketplace.MarketplaceBuyer;
import dev.caravan.integrations.marketplace.MarketplaceOrder;
import dev.caravan.integrations.marketplace.MarketplaceRefund;
import dev.caravan.integrations.marketplace.MarketplaceType;
import dev.caravan.integrations.marketplace.ShopifyPayloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/**
 * Shopify webhooks: checks the HMAC before anything is read, then stores orders and customers through the ingest
 * pipeline (live) and records privacy requests. Bodies that verify but cannot be read are acknowledged and counted
 * as skipped: answering an error would only make Shopify resend the same body until it drops the subscription.
 */
@Service
class ShopifyWebhookService {

    private static final Logger log = LoggerFactory.getLogger(ShopifyWebhookService.class);

    enum Result { STORED, IGNORED, SKIPPED, RECORDED, UNAUTHORIZED }

    private final ConnectionService connections;
    private final RecordMapper mapper;
    private final IngestPipeline pipeline;
    private final MongoTemplate mongo;
    private final ContactNormalizer normalizer;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ShopifyWebhookService(ConnectionService connections, RecordMapper mapper, IngestPipeline pipeline,
                          MongoTemplate mongo, ContactNormalizer normalizer, ApplicationEventPublisher events,
                          Clock clock) {
        this.connections = connections;
        this.mapper = mapper;
        this.pipeline = pipeline;
        this.mongo = mongo;
        this.normalizer = normalizer;
        this.events = events;
        this.clock = clock;
    }

    Result receive(String connectionId, String topic, String hmac, String shopDomain, String webhookId, byte[] body) {
        Connection c = connections.find(connectionId)
                .filter(x -> MarketplaceType.SHOPIFY.id().equals(x.getType()))
                .orElseThrow(() -> new NotFoundException("no Shopify connection " + connectionId));
        String secret = connections.credentials(c).get("webhookSecret");
        if (!ShopifyPayloads.verify(body, hmac, secret)
                || (shopDomain != null && !shopDomain.trim().toLowerCase(Locale.ROOT).equals(c.getStoreId()))) {
            log.warn("Connection {}: rejected a webhook ({}) whose signature or shop does not match", connectionId, topic);
            connections.webhook(connectionId, false, List.of());
            return Result.UNAUTHORIZED;
        }
        String t = topic == null ? "" : topic.trim().toLowerCase(Locale.ROOT);
        JsonNode node;
        try {
            node = Json.parse(body);
            if (!node.isObject()) throw new MalformedRecordException("the body is not a JSON object");
        } catch (MalformedRecordException e) {
            return skipped(connectionId, t, e.getMessage());
        }
        try {
            switch (t) {
                case "customers/redact":
                    return privacy(c, "redact", node, webhookId, body);
                case "customers/data_request":
                    return privacy(c, "data_request", node, webhookId, body);
                case "shop/redact":
                    return privacy(c, "shop_redact", node, webhookId, body);
                default:
                    break;
            }
            if (!c.isEnabled()) {
                connections.webhook(connectionId, true, List.of());
                return Result.IGNORED;
            }
            if (t.equals("orders/delete") || t.equals("customers/delete") || !(t.startsWith("orders/")
                    || t.startsWith("customers/") || t.equals("refunds/create"))) {
                connections.webhook(connectionId, true, List.of());
                return Result.IGNORED;
            }
            List<MarketplaceOrder> orders = new ArrayList<>();
            List<MarketplaceBuyer> customers = new ArrayList<>();
            if (t.startsWith("orders/")) {
                orders.add(ShopifyPayloads.order(node, c.getStoreId()));
            } else if (t.startsWith("customers/")) {
                customers.add(ShopifyPayloads.customer(node));
            } else {
                orders.add(refundOnly(node, c.getStoreId(), clock.instant()));
            }
            RecordMapper.Mapped mapped = mapper.map(orders, customers, c.getType(), c.getStoreId(),
                    "webhook:" + c.getId(), Instant.MIN);
            List<String> skipped = new ArrayList<>(mapped.skipped());
            List<IngestRecord> records = t.equals("refunds/create")
                    ? mapped.live().stream().filter(r -> r.ret() != null).toList() : mapped.live();
            if (!records.isEmpty()) {
                IngestPipeline.Outcome outcome = pipeline.write(records, true, "connector:" + c.getId(),
                        "webhook:shopify");
                outcome.items().stream().filter(o -> o.status() == IngestPipeline.Status.REJECTED)
                        .forEach(o -> skipped.add(t + ": " + o.error()));
            }
            connections.webhook(connectionId, true, skipped);
            connections.countSynced(connectionId, t.startsWith("orders/") ? orders.size() : 0, customers.size());
            return skipped.isEmpty() ? Result.STORED : Result.SKIPPED;
        } catch (MalformedRecordException e) {
            return skipped(connectionId, t, e.getMessage());
        }
    }

    /** refunds/create carries a refund of an order: stored as a return of that order. */
    private static MarketplaceOrder refundOnly(JsonNode refund, String shop, Instant now) {
        String orderId = Json.required(refund, "order_id");
        java.math.BigDecimal amount = null;
        JsonNode tx = Json.array(refund, "transactions");
        String currency = null;
        if (tx != null) {
            for (JsonNode t : tx) {
                if ("refund".equals(Json.text(t, "kind")) && "success".equals(Json.text(t, "status"))) {
                    java.math.BigDecimal a = Json.decimal(t, "amount");
                    if (a != null) amount = amount == null ? a : amount.add(a);
                    if (currency == null) currency = Json.text(t, "currency");
                }
            }
        }
        Instant at = Json.instant(refund, "created_at");
        if (at == null) at = now;
        MarketplaceRefund r = new MarketplaceRefund(Json.required(refund, "id"), "refund", amount, currency,
                Json.text(refund, "note"), at);
        return new MarketplaceOrder(MarketplaceType.SHOPIFY, shop, orderId, null, at, at, null, null, null, null,
                null, null, null, null, List.of(), List.of(r));
    }

    private Result skipped(String connectionId, String topic, String reason) {
        log.warn("Connection {}: a {} webhook could not be read: {}", connectionId, topic, reason);
        connections.webhook(connectionId, true, List.of("webhook " + topic + ": " + reason));
        return Result.SKIPPED;
    }

    private Result privacy(Connection c, String type, JsonNode node, String webhookId, byte[] body) {
        ShopifyPayloads.PrivacyRequest p = ShopifyPayloads.privacyRequest(node);
        String delivery = webhookId != null && !webhookId.isBlank() ? webhookId.trim() : sha256(body);
        String id = "shopify:" + c.getStoreId() + ":" + type + ":" + delivery;
        Instant now = clock.instant();
        List<String> customerIds = customersOf(c, p);
        DataSubjectRequest request = new DataSubjectRequest(id, "shopify", c.getStoreId(), c.getId(), type,
                p.customerId(), p.email(), p.phone(), p.orderIds(), p.dataRequestId(), customerIds, now, "received");
        connections.webhook(c.getId(), true, List.of());
        try {
            mongo.insert(request);
        } catch (DuplicateKeyException e) {
            return Result.RECORDED; // a redelivery: recorded and announced already
        }
        log.info("Connection {}: recorded a Shopify {} request {} ({} matching customer(s))", c.getId(), type, id,
                customerIds.size());
        events.publishEvent(new DataSubjectRequestReceived(id, "shopify", c.getStoreId(), type, p.customerId(),
                p.email(), p.phone(), p.orderIds(), customerIds, now));
        return Result.RECORDED;
    }

    private List<String> customersOf(Connection c, ShopifyPayloads.PrivacyRequest p) {
        Set<String> keys = new LinkedHashSet<>();
        if (p.customerId() != null) keys.add(normalizer.buyerKey("shopify", c.getStoreId(), p.customerId()));
        try {
            if (p.email() != null) {
                String e = normalizer.email(p.email());
                keys.add(normalizer.emailKey(e));
            }
        } catch (IllegalArgumentException ignored) {
            // not an address: nothing to match
        }
        try {
            if (p.phone() != null) keys.add(normalizer.phoneKey(normalizer.phone(p.phone(), null)));
        } catch (IllegalArgumentException ignored) {
            // not a number: nothing to match
        }
        if (keys.isEmpty()) return List.of();
        Set<String> ids = new LinkedHashSet<>();
        mongo.find(Query.query(Criteria.where("_id").in(keys)), IdentityKey.class).forEach(k -> ids.add(k.customerId()));
        return new ArrayList<>(ids);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
