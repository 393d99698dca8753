package dev.caravan.messaging;

import dev.caravan.security.EntityResealer;
import dev.caravan.security.ResealTarget;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** What the key rotation job (security.KeyRotationService) re-encrypts here: recipients and parameters of messages. */
@Configuration(proxyBeanMethods = false)
class MessagingResealTargets {

    @Bean
    @Order(20)
    ResealTarget messagesReseal(EntityResealer resealer) {
        return resealer.target(OutboxMessage.class, Runnable::run, null, null);
    }
}
