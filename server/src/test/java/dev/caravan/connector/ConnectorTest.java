package dev.caravan.connector;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.caravan.test.CaravanTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole server for connector tests: the scheduler is off (tests run syncs themselves, so WireMock request
 * counts are exact) and backoffs are short. Every connector test class uses exactly this set, so they share one
 * Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CaravanTest
@TestPropertySource(properties = {
        "caravan.connector.scheduler-enabled=false",
        "caravan.connector.initial-backoff=PT0.05S",
        "caravan.connector.failure-retry=PT1S",
        "caravan.connector.http-timeout=PT5S"})
public @interface ConnectorTest {
}
