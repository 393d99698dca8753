package dev.caravan.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.integrations.marketplace.ShopifyPayloads;
import dev.caravan.order.Order;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@ConnectorTest
@RecordApplicationEvents
class ShopifyWebhookTest extends ConnectorTestBase {

    @Autowired
    ShopifyWebhookService webhooks;
    @Autowired
    ApplicationEvents events;

    String id;

    @BeforeEach
    void shop() {
        id = connect("shopify", Map.of("shopDomain", ShopifySamples.SHOP), Map.of("webhookSecret", ShopifySamples.SECRET),
                Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void storesTheOrdersCreateSampleWithItsCustomer() {
        byte[] body = ShopifySamples.raw("orders_create.json");

        ResponseEntity<JsonNode> r = ShopifySamples.deliverSigned(api.anonymous(), id, "orders/create", body, "w-1");

        assertThat(r.getStatusCode().value()).isEqualTo(200);
        Order o = mongo.findById("shopify/" + ShopifySamples.SHOP + "/820982911946154508", Order.class);
        assertThat(o).isNotNull();
        assertThat(o.externalId()).isEqualTo("820982911946154508"); // beyond 2^53: every digit kept
        assertThat(o.total()).isEqualByComparingTo("404.95");
        assertThat(o.currency()).isEqualTo("USD");
        assertThat(o.lines()).hasSize(5);
        assertThat(o.status()).isEqualTo("cancelled"); // the sample is cancelled and voided
        Customer c = mongo.findById(o.customerId(), Customer.class);
        assertThat(c.getEmails()).contains("john@example.com");
        assertThat(mongo.getCollection("identity_keys").countDocuments(new Document("_id",
                "buyer:shopify/" + ShopifySamples.SHOP + ":115310627314723954"))).isEqualTo(1);
        assertThat(connection(id).get("status").get("webhooksReceived").asLong()).isEqualTo(1);

        // redelivery changes nothing
        ShopifySamples.deliverSigned(api.anonymous(), id, "orders/create", body, "w-1");
        assertThat(count("orders")).isEqualTo(1);
        assertThat(count("customers")).isEqualTo(1);
    }

    @Test
    void aSignatureMismatchIs401AndStoresNothing() {
        byte[] body = ShopifySamples.raw("orders_create.json");
        String wrongKey = ShopifyPayloads.sign(body, "not-the-secret");
        byte[] tampered = new String(body).replace("404.95", "4.95").getBytes();
        String signedOriginal = ShopifyPayloads.sign(body, ShopifySamples.SECRET);

        ResponseEntity<JsonNode> wrong = ShopifySamples.deliver(api.anonymous(), id, "orders/create", body, wrongKey, "w-2");
        ResponseEntity<JsonNode> altered = ShopifySamples.deliver(api.anonymous(), id, "orders/create", tampered,
                signedOriginal, "w-3");
        ResponseEntity<JsonNode> missing = api.anonymous().post().uri("/webhooks/shopify/{id}", id)
                .header("Content-Type", "application/json").header("X-Shopify-Topic", "customers/redact")
                .body(ShopifySamples.raw("customers_redact.json")).retrieve().toEntity(JsonNode.class);

        assertThat(wrong.getStatusCode().value()).isEqualTo(401);
        assertThat(altered.getStatusCode().value()).isEqualTo(401);
        assertThat(missing.getStatusCode().value()).isEqualTo(401);
        assertThat(wrong.getBody().get("title").asString()).isEqualTo("Unauthorized");
        assertThat(count("orders")).isZero();
        assertThat(count("customers")).isZero();
        assertThat(count("identity_keys")).isZero();
        assertThat(count("data_subject_requests")).isZero();
        assertThat(connection(id).get("status").get("webhooksRejected").asLong()).isEqualTo(3);
    }

    @Test
    void recordsRedactAndDataRequestsAndAnnouncesThem() {
        ShopifySamples.deliverSigned(api.anonymous(), id, "orders/create", ShopifySamples.raw("orders_create.json"), "w-4");
        String customerId = mongo.findById("shopify/" + ShopifySamples.SHOP + "/820982911946154508", Order.class)
                .customerId();
        byte[] redact = ShopifySamples.raw("customers_redact.json");

        ResponseEntity<JsonNode> r = ShopifySamples.deliverSigned(api.anonymous(), id, "customers/redact", redact, "w-5");
        ShopifySamples.deliverSigned(api.anonymous(), id, "customers/redact", redact, "w-5"); // redelivered

        assertThat(r.getStatusCode().value()).isEqualTo(200);
        List<Document> requests = mongo.getCollection("data_subject_requests").find().into(new java.util.ArrayList<>());
        assertThat(requests).singleElement().satisfies(d -> {
            assertThat(d.getString("type")).isEqualTo("redact");
            assertThat(d.getString("platformCustomerId")).isEqualTo("191167");
            assertThat(d.get("email")).isInstanceOf(org.bson.types.Binary.class); // encrypted at rest
            assertThat(mongo.findById(d.getString("_id"), DataSubjectRequest.class).email()).isEqualTo("john@example.com");
            assertThat(d.getList("orderIds", String.class)).containsExactly("299938", "280263", "220458");
            assertThat(d.getList("customerIds", String.class)).containsExactly(customerId); // matched by e-mail
            assertThat(d.getString("status")).isEqualTo("received");
        });

        // the same path in this thread, to see the domain event the privacy feature will act on
        webhooks.receive(id, "customers/data_request", ShopifyPayloads.sign(ShopifySamples.raw("customers_data_request.json"),
                ShopifySamples.SECRET), ShopifySamples.SHOP, "w-6", ShopifySamples.raw("customers_data_request.json"));
        assertThat(events.stream(DataSubjectRequestReceived.class)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("data_request");
            assertThat(e.platform()).isEqualTo("shopify");
            assertThat(e.storeId()).isEqualTo(ShopifySamples.SHOP);
            assertThat(e.platformCustomerId()).isEqualTo("191167");
            assertThat(e.customerIds()).containsExactly(customerId);
        });
        assertThat(count("data_subject_requests")).isEqualTo(2);
    }

    @Test
    void customersCreateMakesAProfileAndADisabledShopStillRecordsPrivacyRequests() {
        ResponseEntity<JsonNode> r = ShopifySamples.deliverSigned(api.anonymous(), id, "customers/create",
                ShopifySamples.raw("customers_create.json"), "w-7");
        assertThat(r.getStatusCode().value()).isEqualTo(200);
        Document key = mongo.getCollection("identity_keys").find(new Document("_id",
                "buyer:shopify/" + ShopifySamples.SHOP + ":706405506930370084")).first();
        assertThat(key).isNotNull();
        Customer c = mongo.findById(key.getString("customerId"), Customer.class);
        assertThat(c.getEmails()).containsExactly("bob@biller.com");
        assertThat(c.getCountry()).isEqualTo("CA");

        api.admin().post().uri("/api/v1/connections/{id}/disable", id).retrieve().toBodilessEntity();
        ShopifySamples.deliverSigned(api.anonymous(), id, "orders/create", ShopifySamples.raw("orders_create.json"), "w-8");
        ShopifySamples.deliverSigned(api.anonymous(), id, "customers/data_request",
                ShopifySamples.raw("customers_data_request.json"), "w-9");
        assertThat(count("orders")).isZero();
        assertThat(count("data_subject_requests")).isEqualTo(1);
    }

    @Test
    void aVerifiedButUnreadableBodyIsAcknowledgedAndCounted() {
        ObjectNode broken = ShopifySamples.json("orders_create.json");
        broken.put("created_at", "not a date");
        broken.remove("processed_at");
        byte[] body = broken.toString().getBytes();

        ResponseEntity<JsonNode> r = ShopifySamples.deliverSigned(api.anonymous(), id, "orders/create", body, "w-10");
        ResponseEntity<JsonNode> notJson = ShopifySamples.deliverSigned(api.anonymous(), id, "orders/create",
                "{not json".getBytes(), "w-11");

        assertThat(r.getStatusCode().value()).isEqualTo(200);
        assertThat(notJson.getStatusCode().value()).isEqualTo(200);
        assertThat(count("orders")).isZero();
        JsonNode status = connection(id).get("status");
        assertThat(status.get("skippedRecords").asLong()).isEqualTo(2);
        assertThat(status.get("lastSkipped").toString()).contains("created_at");
    }

    @Test
    void anUnknownConnectionIs404() {
        byte[] body = ShopifySamples.raw("customers_create.json");
        assertThat(ShopifySamples.deliverSigned(api.anonymous(), "nope", "customers/create", body, "w-12")
                .getStatusCode().value()).isEqualTo(404);
    }
}
