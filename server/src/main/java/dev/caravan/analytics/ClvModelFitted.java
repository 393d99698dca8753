package dev.caravan.analytics;

/** Domain event: a CLV model was fitted; {@code active} when it now scores the profiles. */
public record ClvModelFitted(String modelId, String platform, boolean active, long scored) {
}
