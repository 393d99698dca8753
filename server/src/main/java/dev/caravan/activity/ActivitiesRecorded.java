package dev.caravan.activity;

import java.util.List;

/**
 * Domain event: the activities of one stored batch, published once after their individual {@link ActivityRecorded}
 * events. For consumers that keep per-customer state and write it in bulk instead of once per event.
 */
public record ActivitiesRecorded(List<ActivityRecorded> activities, boolean live) {
}
