package dev.caravan.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.caravan.test.TestApi;
import dev.caravan.test.TestStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** A WireMock server on loopback per test class, an empty store per test, and helpers to set up connections. */
abstract class ConnectorTestBase {

    static WireMockServer wm;

    @Autowired
    TestApi api;
    @Autowired
    TestStore store;
    @Autowired
    SyncService syncs;
    @Autowired
    ConnectionService connections;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    dev.caravan.customer.ContactNormalizer normalizer;

    @BeforeAll
    static void startStubs() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterAll
    static void stopStubs() {
        wm.stop();
    }

    @BeforeEach
    void cleanSlate() {
        store.clear();
        wm.resetAll();
        syncs.forgetRuntimeState();
    }

    /** Creates a connection through the API pointing at the stubs; returns its id. */
    String connect(String type, Map<String, String> settings, Map<String, String> credentials, Instant syncFrom) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("name", type + " test");
        body.put("settings", settings);
        body.put("credentials", credentials);
        body.put("baseUrl", wm.baseUrl());
        body.put("authUrl", wm.baseUrl() + authPath(type));
        body.put("syncFrom", syncFrom.toString());
        ResponseEntity<JsonNode> r = api.admin().post().uri("/api/v1/connections").body(body).retrieve()
                .toEntity(JsonNode.class);
        assertThat(r.getStatusCode().value()).as("create connection: %s", r.getBody()).isEqualTo(201);
        return r.getBody().get("id").asString();
    }

    static String authPath(String type) {
        switch (type) {
            case "amazon":
                return "/auth/o2/token";
            case "ebay":
                return "/identity/v1/oauth2/token";
            case "aliexpress":
                return "/rest";
            default:
                return "";
        }
    }

    JsonNode connection(String id) {
        return api.admin().get().uri("/api/v1/connections/{id}", id).retrieve().body(JsonNode.class);
    }

    long count(String collection) {
        return mongo.getCollection(collection).countDocuments();
    }
}
