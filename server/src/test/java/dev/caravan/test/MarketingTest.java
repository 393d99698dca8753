package dev.caravan.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link CaravanTest} with a {@link SettableClock} as the server's clock and a recorder of published domain events;
 * segments, campaigns and tracking tests share this one context. Scheduled campaign dispatch and segment refresh are
 * slowed to an hour so tests drive them by hand; campaign rounds take 7 sends, so a test's audience of a few dozen
 * needs several rounds within one tick; the storefront bot filter lets WebDriver-controlled browsers in.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CaravanTest
@Import(MarketingTest.Config.class)
@TestPropertySource(properties = {
        "caravan.campaigns.dispatch-interval=1h",
        "caravan.campaigns.dispatch-batch=7",
        "caravan.segments.refresh-interval=1h",
        "caravan.segments.worker-idle-poll=200ms",
        "caravan.tracking.bot-filter.webdriver=false",
        "caravan.messaging.sweep-interval=200ms"})
public @interface MarketingTest {

    @TestConfiguration(proxyBeanMethods = false)
    class Config {
        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock();
        }

        @Bean
        DomainEvents domainEvents() {
            return new DomainEvents();
        }
    }

    /** Every domain event record published while tests run (cleared by tests). */
    class DomainEvents {
        public final List<Object> all = new CopyOnWriteArrayList<>();

        @EventListener
        void on(Object e) {
            if (e.getClass().isRecord() && e.getClass().getName().startsWith("dev.caravan.")) all.add(e);
        }

        public <T> List<T> of(Class<T> type) {
            return all.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
