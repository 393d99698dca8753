package dev.caravan.customer;

import java.time.Instant;
import java.util.Map;

/** One line of a customer's timeline: what happened, when, with details for the UI. */
public record TimelineEntry(Instant at, String kind, String summary, String ref, Map<String, Object> details) {
}
