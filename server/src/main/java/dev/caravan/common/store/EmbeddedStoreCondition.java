package dev.caravan.common.store;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** Matches when no MongoDB URI is configured: the server then runs its own embedded store. */
class EmbeddedStoreCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String uri = context.getEnvironment().getProperty("spring.mongodb.uri");
        return StringUtils.hasText(uri)
                ? ConditionOutcome.noMatch("spring.mongodb.uri is set: using the external MongoDB")
                : ConditionOutcome.match("spring.mongodb.uri is not set: starting the embedded store");
    }
}
