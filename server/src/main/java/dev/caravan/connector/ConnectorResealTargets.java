package dev.caravan.connector;

import dev.caravan.security.EntityResealer;
import dev.caravan.security.ResealTarget;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.data.mongodb.core.MongoTemplate;

/** What the key rotation job re-encrypts here: sealed connection credentials and recorded privacy requests. */
@Configuration(proxyBeanMethods = false)
class ConnectorResealTargets {

    @Bean
    @Order(10)
    ResealTarget connectionCredentialsReseal(ConnectionService connections, MongoTemplate mongo) {
        return new ResealTarget() {
            @Override
            public String name() {
                return "connections";
            }

            @Override
            public long estimate() {
                return mongo.estimatedCount(Connection.class);
            }

            @Override
            public Counts reseal(java.util.function.LongConsumer progress) {
                long[] seen = {0};
                long rewritten = connections.resealCredentials(n -> {
                    seen[0] += n;
                    progress.accept(n);
                });
                return new Counts(seen[0], rewritten);
            }
        };
    }

    @Bean
    @Order(11)
    ResealTarget dataSubjectRequestsReseal(EntityResealer resealer) {
        return resealer.target(DataSubjectRequest.class, Runnable::run, null, null);
    }
}
