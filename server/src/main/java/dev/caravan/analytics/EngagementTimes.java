package dev.caravan.analytics;

import java.time.Instant;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * Times at which customers engaged with messages (opened, read, clicked), for the best send hour. Implemented by the
 * messaging feature when it lands; without an implementation the best send hour comes from order times alone.
 */
public interface EngagementTimes {

    /** Calls {@code sink} with (customer id, time) for every engagement of these customers ({@code null}: all). */
    void forEach(Collection<String> customerIds, BiConsumer<String, Instant> sink);
}
