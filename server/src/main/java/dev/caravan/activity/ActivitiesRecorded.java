package dev.caravan.activity;

import java.util.List;

/**
 * Domain event: the activities of one stored batch, published once per batch (the ingest pipeline does not publish
 * the individual {@link ActivityRecorded} events: hundreds per request). Consumers keep per-customer state and write
 * it in bulk instead of once per event.
 */
public record ActivitiesRecorded(List<ActivityRecorded> activities, boolean live) {
}
