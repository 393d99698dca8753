package dev.caravan.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.caravan.common.CaravanProperties;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.data.convert.PropertyValueConverterFactory;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;
import org.springframework.data.mongodb.core.convert.DefaultDbRefResolver;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/** The store mapping encrypts {@link Encrypted} properties on every write path and reads them back. */
class EncryptedFieldConverterTest {

    @TempDir
    Path dir;
    MongoServer server;
    MongoClient client;
    MongoTemplate mongo;
    SecretBox box;

    @org.springframework.data.mongodb.core.mapping.Document("people")
    static class Person {
        @MongoId(FieldType.STRING) String id;
        @Encrypted String name;
        @Encrypted List<String> emails = new ArrayList<>();
        @Encrypted List<Addr> addrs = new ArrayList<>();
        List<Ident> idents = new ArrayList<>();
        @Encrypted Map<String, Object> params;
        @Encrypted LocalDate birthday;
        String plain;
        List<Item> items = new ArrayList<>();
    }

    @org.springframework.data.mongodb.core.mapping.Document("snapshots")
    static class Snapshot {
        @MongoId(FieldType.STRING) String id;
        Person before;
        String note;
    }

    record Addr(String city, String postalCode) {
    }

    record Ident(String platform, @Encrypted String email) {
    }

    record Item(String id, @Encrypted String body) {
    }

    @BeforeEach
    void setUp() {
        server = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        var factory = new SimpleMongoClientDatabaseFactory(client, "t");
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        box = new SecretBox(new SecretBoxProperties(null, null), new CaravanProperties(dir, false, null));
        MongoCustomConversions conversions = MongoCustomConversions.create(c -> c.registerPropertyValueConverterFactory(
                PropertyValueConverterFactory.chained(PropertyValueConverterFactory.beanFactoryAware(beans),
                        PropertyValueConverterFactory.simple())));
        MongoMappingContext context = new MongoMappingContext();
        context.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
        context.afterPropertiesSet();
        MappingMongoConverter converter = new MappingMongoConverter(new DefaultDbRefResolver(factory), context);
        converter.setCustomConversions(conversions);
        converter.afterPropertiesSet();
        beans.registerSingleton("converter", converter);
        beans.registerSingleton("encrypted", new EncryptedFieldConverter(box, beans.getBeanProvider(MongoConverter.class)));
        mongo = new MongoTemplate(factory, converter);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.shutdown();
    }

    private Document raw(String id) {
        return mongo.getCollection("people").find(new Document("_id", id)).first();
    }

    private Person ann() {
        Person p = new Person();
        p.id = "p1";
        p.name = "Ann Lee";
        p.emails = new ArrayList<>(List.of("ann@example.com", "lee@example.com"));
        p.addrs = new ArrayList<>(List.of(new Addr("Berlin", "10115")));
        p.idents = new ArrayList<>(List.of(new Ident("amazon", "x1@marketplace.amazon.de")));
        p.params = Map.of("firstName", "Ann", "coupon", Map.of("code", "C-1", "n", 3));
        p.birthday = LocalDate.of(1990, 4, 21);
        p.plain = "visible";
        return p;
    }

    @Test
    void insertAndReadBack() {
        mongo.insert(ann());
        Document d = raw("p1");
        assertThat(d.get("name")).isInstanceOf(Binary.class);
        assertThat(d.get("emails")).isInstanceOf(Binary.class);
        assertThat(d.get("addrs")).isInstanceOf(Binary.class);
        assertThat(d.get("params")).isInstanceOf(Binary.class);
        assertThat(d.get("birthday")).isInstanceOf(Binary.class);
        assertThat(d.getList("idents", Document.class).get(0).get("email")).isInstanceOf(Binary.class);
        assertThat(d.getString("plain")).isEqualTo("visible");
        assertThat(d.toJson()).doesNotContain("ann@example.com", "Ann", "Berlin", "marketplace");
        assertThat(EncryptedFieldConverter.keyIdOf(d.get("name"))).isEqualTo(box.primaryKeyId());

        Person p = mongo.findById("p1", Person.class);
        assertThat(p.name).isEqualTo("Ann Lee");
        assertThat(p.emails).containsExactly("ann@example.com", "lee@example.com");
        assertThat(p.addrs).containsExactly(new Addr("Berlin", "10115"));
        assertThat(p.idents).containsExactly(new Ident("amazon", "x1@marketplace.amazon.de"));
        assertThat(p.params).containsEntry("firstName", "Ann");
        @SuppressWarnings("unchecked") Map<String, Object> coupon = (Map<String, Object>) p.params.get("coupon");
        assertThat(coupon).containsEntry("code", "C-1").containsEntry("n", 3);
        assertThat(p.birthday).isEqualTo(LocalDate.of(1990, 4, 21));
    }

    @Test
    void updatesBulkOperationsAndPushesAreEncryptedToo() {
        mongo.insert(ann());
        Query byId = Query.query(Criteria.where("_id").is("p1"));
        mongo.updateFirst(byId, new Update().set("emails", List.of("new@example.com")).set("name", "Ann B"), Person.class);
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Person.class);
        bulk.updateOne(byId, new Update().set("addrs", List.of(new Addr("Paris", "75001")))
                .set("idents", List.of(new Ident("ebay", "bulk@example.com"))));
        bulk.execute();
        mongo.updateFirst(byId, new Update().push("items").slice(-5).each(new Item("i1", "Hi Ann")), Person.class);
        mongo.upsert(Query.query(Criteria.where("_id").is("p2")), new Update().set("name", "Upserted Bob"), Person.class);

        Document d = raw("p1");
        assertThat(d.toJson()).doesNotContain("new@example.com", "Ann B", "Paris", "bulk@example.com", "Hi Ann");
        assertThat(raw("p2").get("name")).isInstanceOf(Binary.class);
        Person p = mongo.findById("p1", Person.class);
        assertThat(p.emails).containsExactly("new@example.com");
        assertThat(p.name).isEqualTo("Ann B");
        assertThat(p.addrs).containsExactly(new Addr("Paris", "75001"));
        assertThat(p.idents).containsExactly(new Ident("ebay", "bulk@example.com"));
        assertThat(p.items).containsExactly(new Item("i1", "Hi Ann"));
        assertThat(mongo.findById("p2", Person.class).name).isEqualTo("Upserted Bob");

        Person saved = mongo.findById("p1", Person.class);
        saved.name = "Saved";
        mongo.save(saved);
        assertThat(raw("p1").get("name")).isInstanceOf(Binary.class);
        assertThat(mongo.findById("p1", Person.class).name).isEqualTo("Saved");
    }

    @Test
    void embeddedEntitiesAreEncryptedInInsertsAndInUpdatesOfTheWholeEmbeddedValue() {
        Snapshot s = new Snapshot();
        s.id = "s1";
        s.before = ann();
        s.note = "n";
        mongo.insert(s);
        Document raw = mongo.getCollection("snapshots").find(new Document("_id", "s1")).first();
        assertThat(raw.get("before", Document.class).get("name")).isInstanceOf(Binary.class);
        assertThat(raw.toJson()).doesNotContain("ann@example.com", "Ann Lee");

        Person other = ann();
        other.name = "Changed Name";
        mongo.updateFirst(Query.query(Criteria.where("_id").is("s1")), new Update().set("before", other), Snapshot.class);
        raw = mongo.getCollection("snapshots").find(new Document("_id", "s1")).first();
        assertThat(raw.get("before", Document.class).get("name")).isInstanceOf(Binary.class);
        assertThat(raw.toJson()).doesNotContain("ann@example.com", "Changed Name");
        assertThat(mongo.findById("s1", Snapshot.class).before.name).isEqualTo("Changed Name");
    }

    @Test
    void valuesStoredBeforeEncryptionAreStillRead() {
        mongo.getCollection("people").insertOne(new Document("_id", "old").append("name", "Old Name")
                .append("emails", List.of("old@example.com")).append("addrs", List.of(new Document("city", "Rome")))
                .append("idents", List.of(new Document("platform", "ebay").append("email", "e@x.com")))
                .append("params", new Document("a", 1)).append("birthday", java.util.Date.from(
                        LocalDate.of(1980, 1, 2).atStartOfDay(java.time.ZoneId.systemDefault()).toInstant())));
        Person p = mongo.findById("old", Person.class);
        assertThat(p.name).isEqualTo("Old Name");
        assertThat(p.emails).containsExactly("old@example.com");
        assertThat(p.addrs).containsExactly(new Addr("Rome", null));
        assertThat(p.idents).containsExactly(new Ident("ebay", "e@x.com"));
        assertThat(p.params).containsEntry("a", 1);
        assertThat(p.birthday).isEqualTo(LocalDate.of(1980, 1, 2));
    }

    @Test
    void aCiphertextMovedToAnotherFieldDoesNotOpen() {
        mongo.insert(ann());
        Object name = raw("p1").get("name");
        mongo.getCollection("people").updateOne(new Document("_id", "p1"), new Document("$set", new Document("plain", "x")
                .append("params", name)));
        assertThatThrownBy(() -> mongo.findById("p1", Person.class)).isInstanceOf(SecretBox.SecretUnreadableException.class);
    }
}
