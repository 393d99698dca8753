package dev.caravan.analytics;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.caravan.test.CaravanTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** {@link CaravanTest} with a settable clock ({@link MutableClock}); all analytics API tests share this context. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CaravanTest
@Import(MutableClock.Config.class)
// tests drain the rescoring queue themselves
@TestPropertySource(properties = "caravan.analytics.rescore-delay=1h")
public @interface AnalyticsTest {
}
