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
}
