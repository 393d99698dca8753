package dev.caravan.common.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import dev.caravan.common.CaravanProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts an in-process MongoDB wire-protocol server so the server runs with nothing but a JDK.
 * Bound to loopback on a random port; the H2 backend keeps the data in one file under the data directory.
 * It lacks non-unique indexes, transactions and TTL: the code relies on none of them (see docs/ARCHITECTURE.md).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedStoreCondition.class)
public class EmbeddedStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreConfiguration.class);

    @Bean(destroyMethod = "shutdownNow")
    MongoServer embeddedMongoServer(StoreProperties store, CaravanProperties caravan) throws IOException {
        MongoBackend backend = switch (store.embeddedBackend()) {
            case "memory" -> EmbeddedBackends.memory();
            case "h2" -> {
                Path file = caravan.resolve("store/caravan.mv.db");
                Files.createDirectories(file.getParent());
                log.info("Embedded store: H2 file {}", file);
                yield EmbeddedBackends.h2(file.toString());
            }
            default -> throw new IllegalStateException(
                    "caravan.store.embedded-backend must be 'h2' or 'memory', not '" + store.embeddedBackend() + "'");
        };
        // Without a 5.x server version the driver's 'hello' handshake fails.
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        return server;
    }

    @Bean
    MongoConnectionDetails embeddedMongoConnectionDetails(MongoServer server, StoreProperties store) {
        ConnectionString cs = new ConnectionString(
                "mongodb://127.0.0.1:" + server.getLocalAddress().getPort() + "/" + store.database());
        return () -> cs;
    }
}
