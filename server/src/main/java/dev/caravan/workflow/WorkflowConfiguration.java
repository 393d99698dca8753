package dev.caravan.workflow;

import java.time.Clock;

import dev.caravan.messaging.MessageService;
import dev.caravan.messaging.MessagingProperties;
import dev.caravan.messaging.template.TemplateStore;
import dev.caravan.money.MoneyProperties;
import dev.caravan.order.PurchaseHistories;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;

/** Wires the journey engine; messaging and coupons are ports with simple defaults other features replace. */
@Configuration(proxyBeanMethods = false)
class WorkflowConfiguration {

    /** Journeys send through messaging; {@code caravan.workflows.messenger=store} only records the requests. */
    @Bean
    @ConditionalOnMissingBean(JourneyMessenger.class)
    JourneyMessenger journeyMessenger(MongoTemplate mongo, Clock clock, WorkflowProperties props,
                                      org.springframework.core.env.Environment env,
                                      org.springframework.beans.factory.ObjectProvider<MessageService> messages,
                                      org.springframework.beans.factory.ObjectProvider<TemplateStore> templates,
                                      org.springframework.beans.factory.ObjectProvider<MessagingProperties> messaging) {
        return "store".equals(env.getProperty("caravan.workflows.messenger", "messaging"))
                ? new StoringJourneyMessenger(mongo, clock, props)
                : new MessagingJourneyMessenger(messages, templates, messaging);
    }

    @Bean
    HolidayCalendars holidayCalendars(MongoTemplate mongo, WorkflowProperties props) {
        return new HolidayCalendars(mongo, props);
    }

    @Bean(destroyMethod = "close")
    JourneyRuntime journeyRuntime(MongoTemplate mongo, Clock clock, WorkflowProperties props, JourneyMessenger messenger,
                                  CouponIssuer coupons, PurchaseHistories histories, ApplicationEventPublisher events,
                                  HolidayCalendars calendars, MoneyProperties money) {
        return new JourneyRuntime(mongo, clock, props, messenger, coupons, histories, events, calendars::current,
                money.baseCurrency().toUpperCase(java.util.Locale.ROOT));
    }

    @Bean
    JourneyService journeyService(JourneyRuntime runtime, WorkflowProperties props) {
        JourneyService service = new JourneyService(runtime, props);
        service.deployPackaged();
        return service;
    }

    @Bean
    DryRunService dryRunService(JourneyRuntime runtime, JourneyMessenger messenger, PurchaseHistories histories,
                                WorkflowProperties props, HolidayCalendars calendars) {
        return new DryRunService(runtime, messenger, histories, props, calendars::current);
    }

    /** Due timers and queued triggers are fired only once the server is fully up. */
    @Bean
    Starter journeyPollerStarter(JourneyRuntime runtime) {
        return new Starter(runtime);
    }

    static final class Starter {
        private final JourneyRuntime runtime;

        Starter(JourneyRuntime runtime) {
            this.runtime = runtime;
        }

        @EventListener(ApplicationReadyEvent.class)
        void start() {
            runtime.startPolling();
        }
    }
}
