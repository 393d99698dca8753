package dev.caravan.customer;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Recomputes every customer's metrics from the orders once a night ({@code caravan.customers.metrics-cron}),
 * repairing any drift of the incremental counters (e.g. a crash between an order write and its increment).
 */
@Component
class NightlyMetrics {

    private static final Logger log = LoggerFactory.getLogger(NightlyMetrics.class);

    private final CustomerMetricsService metrics;
    private final CustomerWriteLock lock;

    NightlyMetrics(CustomerMetricsService metrics, CustomerWriteLock lock) {
        this.metrics = metrics;
        this.lock = lock;
    }

    @Scheduled(cron = "${caravan.customers.metrics-cron:0 0 2 * * *}")
    @SchedulerLock(name = "customer-metrics")
    void recomputeAll() {
        long changed = lock.call(metrics::recomputeAll);
        log.info("Nightly metrics recomputation: {} customers corrected", changed);
    }
}
