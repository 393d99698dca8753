package dev.caravan.security;

import static dev.caravan.test.Events.customer;
import static dev.caravan.test.Events.event;
import static dev.caravan.test.Events.map;
import static dev.caravan.test.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.caravan.customer.Customer;
import dev.caravan.test.CaravanTest;
import dev.caravan.test.Imports;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * Contact data of imported and ingested customers is encrypted at rest (the raw store holds none of it), identity
 * lookups still work through blind indexes, key rotation re-encrypts everything under the new key, and a
 * ciphertext moved to another field does not open.
 */
@CaravanTest
class EncryptionAtRestTest {

    /** Everything personal the test feeds in, in every spelling that could end up stored. */
    static final List<String> PLAINTEXT = List.of("fay.quixote@example.com", "Fay.Quixote@Example.com",
            "+33612345678", "+33 6 12 34 56 78", "612345678", "Quixote", "quixote", "bo.zebedee@example.com",
            "+4915112345678", "Zebedee", "zebedee", "Rosalind", "rosalind", "lee.legacy@example.com", "Legacy");

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    SecretBox box;
    @Autowired
    KeyRotationService rotation;

    RestClient admin;

    @BeforeEach
    void setUp() {
        store.clear();
        admin = api.admin();
    }

    @Test
    void contactDataIsEncryptedAtRestFoundByBlindIndexAndReEncryptedOnRotation() {
        JsonNode job = new Imports(api, admin).run("customers", "caravan", """
                platform,buyer_id,email,phone,name,country,language,timezone,birthday,consent_email,consent_whatsapp
                shopify,1,Fay.Quixote@Example.com,+33 6 12 34 56 78,Fay Quixote,France,fr,Europe/Paris,1990-02-03,yes,no
                """);
        assertThat(job.get("rowsImported").asLong()).isEqualTo(1);
        JsonNode accepted = admin.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(List.of(
                        order("o-1", "2026-05-01T09:00:00Z", customer("email", "bo.zebedee@example.com", "phone",
                                "+49 151 12345678", "firstName", "Rosalind", "lastName", "Zebedee"), "W-1", "19.90", "EUR"),
                        event("v-1", "product_viewed", "2026-05-01T08:55:00Z", customer("email", "bo.zebedee@example.com"),
                                map("sku", "MUG-1"))))
                .retrieve().body(JsonNode.class);
        assertThat(accepted.get("accepted").asInt()).isEqualTo(2);

        // a message to Fay: its recipient and parameters are stored encrypted too
        String fayKnownId = findOne("fay.quixote@example.com").get("id").asString();
        JsonNode sent = admin.post().uri("/api/v1/messages").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("customerId", fayKnownId, "channel", "email", "template", "order_confirmation", "purpose",
                        "transactional", "idempotencyKey", "enc-1", "params", Map.of("note", "for Fay Quixote")))
                .retrieve().body(JsonNode.class);
        assertThat(sent.path("messageId").isString()).as(sent.toString()).isTrue();
        JsonNode message = api.awaitJson(admin, "/api/v1/messages/" + sent.path("messageId").asString(),
                j -> j.path("recipient").isString(), Duration.ofSeconds(20));
        assertThat(message.path("recipient").asString()).isEqualTo("fay.quixote@example.com");

        // the raw store (every collection, as the driver sees it) holds none of it
        assertNoPlaintext();
        Document fay = store.mongo().getCollection("customers").find().into(new ArrayList<>()).stream()
                .filter(d -> d.get("emails") instanceof Binary && personal().readText(d.get("displayName"), "displayName")
                        .equals("Fay Quixote")).findFirst().orElseThrow();
        for (String field : List.of("displayName", "emails", "phones", "birthday")) {
            assertThat(fay.get(field)).as(field).isInstanceOf(Binary.class);
            assertThat(EncryptedFieldConverter.keyIdOf(fay.get(field))).as("key id stored with " + field)
                    .isEqualTo(box.primaryKeyId());
        }

        // lookups by exact e-mail, phone and whole name words still find them; fragments no longer do
        String fayId = findOne("Fay.Quixote@example.com").get("id").asString();
        assertThat(fayId).isEqualTo(fay.getString("_id"));
        assertThat(findOne("+33 6 12 34 56 78").get("id").asString()).isEqualTo(fayId);
        assertThat(findOne("quixote").get("name").asString()).isEqualTo("Fay Quixote");
        JsonNode bo = findOne("bo.zebedee@example.com");
        assertThat(bo.get("emails").get(0).asString()).isEqualTo("bo.zebedee@example.com");
        assertThat(findOne("+4915112345678").get("id").asString()).isEqualTo(bo.get("id").asString());
        assertThat(findOne("Rosalind Zebedee").get("id").asString()).isEqualTo(bo.get("id").asString());
        assertThat(search("quix").get("totalElements").asLong()).isZero();
        assertThat(search("example.com").get("totalElements").asLong()).isZero();

        // a customer stored before encryption (plaintext) is still read, and sealed by the rotation job
        store.mongo().getCollection("customers").insertOne(new Document("_id", "legacy").append("displayName", "Lee Legacy")
                .append("emails", List.of("lee.legacy@example.com")).append("phones", List.of())
                .append("addresses", List.of()).append("identities", List.of()));
        store.mongo().getCollection("identity_keys").insertOne(new Document("_id", "email:lee.legacy@example.com")
                .append("customerId", "legacy").append("kind", "EMAIL"));
        store.mongo().getCollection("behaviour_events").insertOne(new Document("_id", "legacy-event")
                .append("customerId", "legacy").append("identityKey", "email:lee.legacy@example.com").append("type", "x"));
        assertThat(admin.get().uri("/api/v1/customers/legacy").retrieve().body(JsonNode.class).get("customer").get("emails").get(0)
                .asString()).isEqualTo("lee.legacy@example.com");

        // a marketplace connection: its credentials are sealed with the same box, and re-sealed on rotation
        JsonNode connection = admin.post().uri("/api/v1/connections").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("type", "amazon", "name", "rotation", "enabled", false, "settings",
                        Map.of("sellerId", "A2ROT", "marketplaceId", "ATVPDKIKX0DER"), "credentials",
                        Map.of("clientId", "cid", "clientSecret", "rot-secret-1", "refreshToken", "Atzr|rot-1")))
                .retrieve().body(JsonNode.class);
        String connectionId = connection.path("id").asString();
        assertThat(connection.toString()).as(connection.toString()).contains("credentialsSet").doesNotContain("rot-secret-1");

        int before = box.primaryKeyId();
        int keysBefore = admin.get().uri("/api/v1/admin/keys").retrieve().body(JsonNode.class).get("keyIds").size();
        JsonNode started = admin.post().uri("/api/v1/admin/keys/rotate").retrieve().body(JsonNode.class);
        JsonNode done = api.awaitJson(admin, "/api/v1/admin/keys/jobs/" + started.get("id").asString(),
                j -> j.get("state").asString().equals("SUCCEEDED") || j.get("state").asString().equals("FAILED"),
                Duration.ofSeconds(30));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        int after = box.primaryKeyId();
        assertThat(after).isNotEqualTo(before);
        JsonNode status = admin.get().uri("/api/v1/admin/keys").retrieve().body(JsonNode.class);
        assertThat(status.get("primaryKeyId").asString()).isEqualTo(Integer.toUnsignedString(after));
        assertThat(status.get("keyIds")).hasSize(keysBefore + 1); // other tests of this server may have rotated before
        assertThat(status.toString()).doesNotContain("keyData", "value");

        // every encrypted value anywhere is now under the new key, and everything reads as before
        List<Integer> keyIds = new ArrayList<>();
        for (String name : store.mongo().getCollectionNames()) {
            for (Document d : store.mongo().getCollection(name).find()) collectKeyIds(d, keyIds);
        }
        assertThat(keyIds).isNotEmpty().containsOnly(after);
        String sealed = store.mongo().getCollection("connections").find(new Document("_id", connectionId)).first()
                .getString("sealedCredentials");
        assertThat(box.isCurrent(sealed)).isTrue();
        assertThat(SecretBox.keyIdOf(java.util.Base64.getDecoder().decode(sealed))).isEqualTo(after);
        assertThat(box.open(sealed, "connection:" + connectionId + ":credentials")).contains("rot-secret-1");
        assertThat(admin.get().uri("/api/v1/connections/" + connectionId).retrieve().body(String.class))
                .doesNotContain("rot-secret-1", "Atzr|rot-1");
        assertNoPlaintext();
        assertThat(findOne("fay.quixote@example.com").get("birthday").asString()).isEqualTo("1990-02-03");
        assertThat(findOne("+4915112345678").get("name").asString()).isEqualTo("Rosalind Zebedee");
        assertThat(findOne("legacy").get("emails").get(0).asString()).isEqualTo("lee.legacy@example.com");
        assertThat(findOne("lee.legacy@example.com").get("id").asString()).isEqualTo("legacy"); // key re-hashed
        assertThat(store.mongo().getCollection("behaviour_events").find(new Document("_id", "legacy-event")).first()
                .getString("identityKey")).isEqualTo(store.emailKey("lee.legacy@example.com"));
        assertThat(findOne("lee").get("id").asString()).isEqualTo("legacy"); // name index added by the job
        assertThat(store.mongo().findById(fayId, Customer.class).getPhones()).containsExactly("+33612345678");

        // a ciphertext copied into another field does not open there
        Document raw = store.mongo().getCollection("customers").find(new Document("_id", fayId)).first();
        store.mongo().getCollection("customers").updateOne(new Document("_id", fayId),
                new Document("$set", new Document("displayName", raw.get("emails"))));
        assertThatThrownBy(() -> store.mongo().findById(fayId, Customer.class))
                .isInstanceOf(SecretBox.SecretUnreadableException.class);
        assertThatThrownBy(() -> personal().readText(raw.get("emails"), "displayName"))
                .isInstanceOf(SecretBox.SecretUnreadableException.class);
    }

    @Autowired
    EncryptedFieldConverter converter;

    private EncryptedFieldConverter personal() {
        return converter;
    }

    private void assertNoPlaintext() {
        for (String name : store.mongo().getCollectionNames()) {
            if (name.equals("users") || name.startsWith("system.")) continue;
            for (Document d : store.mongo().getCollection(name).find()) {
                String json = d.toJson();
                for (String p : PLAINTEXT) {
                    assertThat(json).as("collection %s holds '%s'", name, p).doesNotContain(p);
                }
            }
        }
    }

    private static void collectKeyIds(Object v, List<Integer> out) {
        if (EncryptedFieldConverter.isEncrypted(v)) {
            out.add(EncryptedFieldConverter.keyIdOf(v));
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> collectKeyIds(x, out));
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> collectKeyIds(x, out));
        }
    }

    private JsonNode search(String q) {
        return admin.get().uri(b -> b.path("/api/v1/customers").queryParam("q", "{q}").build(Map.of("q", q)))
                .retrieve().body(JsonNode.class);
    }

    private JsonNode findOne(String q) {
        JsonNode page = search(q);
        assertThat(page.get("totalElements").asLong()).as("customers found by '%s'", q).isEqualTo(1);
        return page.get("content").get(0);
    }
}
