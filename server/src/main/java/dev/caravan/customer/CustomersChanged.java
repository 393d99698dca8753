package dev.caravan.customer;

import java.util.Set;

/**
 * Domain event: these customers' profile, orders or activity changed. Rules re-evaluate them.
 *
 * @param live false for bulk history (imports, backfills): consumers that react to fresh behaviour,
 *             such as journeys, ignore those
 */
public record CustomersChanged(Set<String> customerIds, String cause, boolean live) {
}
