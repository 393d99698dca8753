package dev.caravan.customer;

import java.util.Map;

import dev.caravan.security.EntityResealer;
import dev.caravan.security.ResealTarget;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The customer documents the key rotation job re-encrypts (security.KeyRotationService), chunk by chunk under the
 * {@link CustomerWriteLock} so profile writes in this server never interleave. Customers stored before names were
 * encrypted also get their name blind index here.
 */
@Configuration(proxyBeanMethods = false)
class CustomerResealTargets {

    @Bean
    @Order(1)
    ResealTarget customersReseal(EntityResealer resealer, CustomerWriteLock lock, ContactNormalizer normalizer) {
        return resealer.target(Customer.class, lock::run,
                raw -> raw.get("nameIndex") == null
                        && (raw.get("displayName") != null || raw.get("firstName") != null || raw.get("lastName") != null),
                c -> Map.of("nameIndex", normalizer.nameIndex(c.getDisplayName(), c.getFirstName(), c.getLastName())));
    }

    @Bean
    @Order(2)
    ResealTarget customerMergesReseal(EntityResealer resealer, CustomerWriteLock lock) {
        return resealer.target(MergeRecord.class, lock::run, null, null);
    }

    /*
     * Identity keys stored in plaintext before blind indexes, and the copies records keep of the key they came
     * with (collections named here so the owning features need no change; a pass over a migrated store only reads).
     */
    @Bean
    @Order(3)
    ResealTarget identityKeysRekey(IdentityKeyMigration m) {
        return m.identityKeys();
    }

    @Bean
    @Order(4)
    ResealTarget mergeMovedKeysRekey(IdentityKeyMigration m) {
        return m.field("customer_merges", "movedKeys");
    }

    @Bean
    @Order(5)
    ResealTarget ordersRekey(IdentityKeyMigration m) {
        return m.field("orders", "identityKey");
    }

    @Bean
    @Order(6)
    ResealTarget returnsRekey(IdentityKeyMigration m) {
        return m.field("returns", "identityKey");
    }

    @Bean
    @Order(7)
    ResealTarget eventsRekey(IdentityKeyMigration m) {
        return m.field("behaviour_events", "identityKey");
    }

    @Bean
    @Order(8)
    ResealTarget interactionsRekey(IdentityKeyMigration m) {
        return m.field("interactions", "identityKey");
    }
}
