package dev.caravan.customer;

import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/** Computes purchase metrics from the stored orders and returns (implemented by the order feature). */
public interface CustomerMetricsSource {

    /** Metrics for these customers; customers without orders are absent from the result. */
    Map<String, CustomerMetrics> compute(Collection<String> customerIds);

    /** Streams the metrics of every customer that has orders or returns. */
    void computeAll(BiConsumer<String, CustomerMetrics> sink);
}
