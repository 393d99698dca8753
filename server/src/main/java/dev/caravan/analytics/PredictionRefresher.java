package dev.caravan.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.caravan.customer.CustomersChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps predictions current between refits: customers whose orders or profile changed are queued (in memory; the
 * nightly refit repairs anything lost in a restart) and rescored with the active model once they have waited
 * {@code caravan.analytics.rescore-delay}, so a burst of orders costs one rescore. Ingestion only adds ids to a map;
 * the work runs on the scheduler thread. Its own prediction updates are not queued again.
 */
@Component
class PredictionRefresher {

    private static final Logger log = LoggerFactory.getLogger(PredictionRefresher.class);
    private static final int BATCH = 2000;

    private final ClvService clv;
    private final AnalyticsProperties props;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();

    PredictionRefresher(ClvService clv, AnalyticsProperties props) {
        this.clv = clv;
        this.props = props;
    }

    @EventListener
    void on(CustomersChanged event) {
        if (!props.rescoreOnChange() || ClvService.PREDICTIONS_CAUSE.equals(event.cause())) return;
        long now = System.nanoTime();
        event.customerIds().forEach(id -> pending.putIfAbsent(id, now));
    }

    int pending() {
        return pending.size();
    }

    @Scheduled(fixedDelay = 1000, initialDelay = 1000)
    void drain() {
        drain(false);
    }

    /** Rescores the customers that have waited long enough ({@code all}: every queued one). */
    long drain(boolean all) {
        if (pending.isEmpty()) return 0;
        long due = System.nanoTime() - props.rescoreDelay().toNanos();
        List<String> ids = new ArrayList<>();
        pending.forEach((id, at) -> {
            if (all || at <= due) ids.add(id);
        });
        long written = 0;
        for (int i = 0; i < ids.size(); i += BATCH) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + BATCH));
            batch.forEach(pending::remove);
            try {
                written += clv.rescore(batch);
            } catch (RuntimeException e) {
                log.warn("Rescoring {} customers failed; the next refit repairs them: {}", batch.size(), e.toString());
            }
        }
        return written;
    }
}
