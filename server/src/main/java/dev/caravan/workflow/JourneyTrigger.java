package dev.caravan.workflow;

import java.time.Instant;
import java.util.Map;

/**
 * The generic input of the journey engine: something happened to a customer. Domain events (orders, activity,
 * rules) are adapted into triggers by {@link TriggerAdapters}; the type is the name journeys listen to, both in
 * their start events and in the signals they wait for (see docs/WORKFLOWS.md for the list).
 *
 * @param id      an id for de-duplication (the source event id); the same id is processed once
 * @param payload values copied into the process variables of the same name (orderKey, from, to, tag...)
 * @param live    false for imported history: such triggers neither start nor signal journeys
 */
public record JourneyTrigger(String id, String customerId, String type, Map<String, Object> payload, Instant at,
                             boolean live) {

    public JourneyTrigger {
        payload = payload == null ? Map.of() : payload;
    }
}
