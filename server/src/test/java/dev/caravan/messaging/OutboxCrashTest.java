package dev.caravan.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.caravan.CaravanApplication;
import jakarta.mail.internet.MimeMessage;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The crash test: 2,000 e-mails queued, the server stopped halfway through sending them, a new server started on
 * the same store (H2 file). Afterwards the SMTP server holds exactly 2,000 distinct messages: none lost, none twice.
 */
class OutboxCrashTest {

    static final int MESSAGES = 2000;
    static GreenMail mail;
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        dataDir = Files.createTempDirectory("caravan-crash-");
    }

    @AfterAll
    static void stop() {
        mail.stop();
    }

    private ConfigurableApplicationContext server() {
        Map<String, String> props = Map.ofEntries(
                Map.entry("server.port", "0"),
                Map.entry("caravan.data-dir", dataDir.toString()),
                Map.entry("caravan.store.embedded-backend", "h2"),
                Map.entry("caravan.demo", "false"),
                Map.entry("caravan.admin-password", "crash-test-password"),
                Map.entry("caravan.mail.host", "127.0.0.1"),
                Map.entry("caravan.mail.port", String.valueOf(mail.getSmtp().getPort())),
                Map.entry("caravan.mail.from", "Shop <news@shop.test>"),
                Map.entry("caravan.messaging.consumers", "16"),
                Map.entry("caravan.messaging.sweep-interval", "200ms"),
                Map.entry("spring.main.banner-mode", "off"),
                Map.entry("logging.level.root", "WARN"),
                Map.entry("logging.level.dev.caravan.messaging", "INFO"));
        // command-line arguments: they win over application.yml
        return new SpringApplicationBuilder(CaravanApplication.class)
                .run(props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    @Test
    void stoppingTheServerHalfwayLosesNothingAndSendsNothingTwice() throws Exception {
        List<String> ids = new ArrayList<>();
        int beforeStop;
        try (ConfigurableApplicationContext first = server()) {
            MongoTemplate mongo = first.getBean(MongoTemplate.class);
            List<Document> customers = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                customers.add(new Document("_id", "crash-" + i).append("firstName", "C" + i)
                        .append("emails", List.of("c" + i + "@example.com"))
                        .append("consents", new Document("email", new Document("granted", true).append("source", "test")
                                .append("updatedAt", new Date())))
                        .append("createdAt", new Date()));
            }
            mongo.getCollection("customers").insertMany(customers);
            MessageService messages = first.getBean(MessageService.class);
            // queue all 2,000 first (consumers paused), then let them send and stop the server halfway
            org.apache.camel.CamelContext camel = first.getBean(org.apache.camel.CamelContext.class);
            camel.getRouteController().suspendRoute("caravan-outbox");
            for (int i = 0; i < MESSAGES; i++) {
                SendResult r = messages.send(SendRequest.builder().customerId("crash-" + i).channel(Channel.EMAIL)
                        .template("order_confirmation").purpose(Purpose.TRANSACTIONAL)
                        .param("order", Map.of("id", "O-" + i)).idempotencyKey("crash:" + i).build(), "crash-test");
                assertThat(r.status()).isEqualTo("queued");
                ids.add(r.messageId());
            }
            camel.getRouteController().resumeRoute("caravan-outbox");
            waitFor(() -> mail.getReceivedMessages().length >= MESSAGES / 2, Duration.ofSeconds(120));
            beforeStop = mail.getReceivedMessages().length;
        } // the server stops here, halfway through
        int afterStop = mail.getReceivedMessages().length;
        assertThat(afterStop).as("the stop came before the end").isLessThan(MESSAGES);

        try (ConfigurableApplicationContext second = server()) {
            MongoTemplate mongo = second.getBean(MongoTemplate.class);
            waitFor(() -> mongo.count(Query.query(Criteria.where("status").is("SENT")), "messages") == MESSAGES,
                    Duration.ofSeconds(90));
            Thread.sleep(500); // anything sent twice would arrive now
            assertThat(mongo.count(Query.query(Criteria.where("pending").is(true)), "messages")).isZero();
        }

        MimeMessage[] received = mail.getReceivedMessages();
        Set<String> distinct = new HashSet<>();
        for (MimeMessage m : received) {
            distinct.add(m.getHeader("X-Caravan-Message-Id")[0]);
        }
        System.out.printf("crash test: %d received before the stop began, %d when it ended, %d in the end%n",
                beforeStop, afterStop, received.length);
        assertThat(received).hasSize(MESSAGES);
        assertThat(distinct).hasSize(MESSAGES).containsExactlyInAnyOrderElementsOf(ids);
    }

    private static void waitFor(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }
}
