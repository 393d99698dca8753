package dev.caravan.customer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link PersonalDataHolder} did: counts per kind of record and action, e.g.
 * {@code {"ordersAnonymised": 3, "journeysCancelled": 1}} (no dots: the report is stored), plus a one-line note on what was kept and why.
 */
public record ErasureResult(Map<String, Long> counts, String note) {

    public ErasureResult {
        counts = counts == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public static Builder builder() {
        return new Builder();
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public static final class Builder {
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private String note;

        public Builder count(String key, long n) {
            counts.merge(key, n, Long::sum);
            return this;
        }

        public Builder note(String note) {
            this.note = note;
            return this;
        }

        public ErasureResult build() {
            return new ErasureResult(counts, note);
        }
    }
}
