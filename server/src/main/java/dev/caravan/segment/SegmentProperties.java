package dev.caravan.segment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the segments feature ({@code caravan.segments.*}).
 *
 * @param incremental      keep memberships current from events in the background
 * @param workerBatch      customers the membership worker handles per round
 * @param workerIdlePoll   how often the idle worker looks for entries queued by other servers
 * @param refreshInterval  how often every customer is re-evaluated against every segment, so conditions on elapsed
 *                         time ("no order for 90 days") change membership without an event; 0 disables
 * @param behaviourDays    how far back behaviour event counts reach ({@code field: count} leaves)
 * @param maxEntries       behaviour events kept per customer for counts (newest first)
 * @param maxKeys          last-seen categories/SKUs kept per customer
 * @param interestDays     window of the {@code interest} field (top categories from views, carts and orders)
 * @param interestTop      how many categories make a customer's interests
 * @param maxLeaves        conditions per segment
 * @param maxDepth         nesting depth of all/any/not
 * @param previewSample    customers in a preview's sample
 * @param chunk            customers read and evaluated together
 */
@ConfigurationProperties("caravan.segments")
public record SegmentProperties(
        @DefaultValue("true") boolean incremental,
        @DefaultValue("200") int workerBatch,
        @DefaultValue("2s") Duration workerIdlePoll,
        @DefaultValue("1h") Duration refreshInterval,
        @DefaultValue("180") int behaviourDays,
        @DefaultValue("1000") int maxEntries,
        @DefaultValue("5000") int maxKeys,
        @DefaultValue("90") int interestDays,
        @DefaultValue("3") int interestTop,
        @DefaultValue("50") int maxLeaves,
        @DefaultValue("8") int maxDepth,
        @DefaultValue("20") int previewSample,
        @DefaultValue("500") int chunk) {
}
