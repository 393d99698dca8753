package dev.caravan.common.store;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when the server should run its own embedded store: {@code caravan.store.embedded} when set, otherwise
 * whenever no MongoDB URI ({@code spring.mongodb.uri}) is configured.
 */
class EmbeddedStoreCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String explicit = context.getEnvironment().getProperty("caravan.store.embedded");
        if (StringUtils.hasText(explicit)) {
            return Boolean.parseBoolean(explicit.trim())
                    ? ConditionOutcome.match("caravan.store.embedded=true")
                    : ConditionOutcome.noMatch("caravan.store.embedded=false");
        }
        String uri = context.getEnvironment().getProperty("spring.mongodb.uri");
        return StringUtils.hasText(uri)
                ? ConditionOutcome.noMatch("spring.mongodb.uri is set: using the external MongoDB")
                : ConditionOutcome.match("spring.mongodb.uri is not set: starting the embedded store");
    }
}
