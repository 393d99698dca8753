package dev.caravan.workflow;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;
import java.time.Instant;

import dev.caravan.test.CaravanTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole server like {@link CaravanTest}, with a settable clock (time travel), the recording messenger, the rules'
 * background evaluation off, and the background poller off: tests fire due work with {@link JourneyRuntime#runDue()} after moving the clock. All
 * journey test classes share this one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CaravanTest
@Import(JourneyTest.Config.class)
// Rules run only on demand here: their background evaluation would start rule-triggered journeys (VIP, win-back)
// for the test customers beside the ones each test drives on purpose.
@TestPropertySource(properties = {"caravan.workflows.enabled=false", "caravan.rules.incremental=false"})
public @interface JourneyTest {

    Instant START = Instant.parse("2026-03-02T09:00:00Z");

    @TestConfiguration(proxyBeanMethods = false)
    class Config {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(START);
        }

        @Bean
        @Primary
        RecordingJourneyMessenger recordingMessenger() {
            return new RecordingJourneyMessenger();
        }
    }
}
