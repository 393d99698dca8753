package dev.caravan.ingest.imports;

import java.util.List;

import dev.caravan.customer.ProfileInput;
import dev.caravan.order.OrderInput;
import dev.caravan.order.ReturnInput;

/**
 * What one or more CSV rows turn into: a customer profile, an order or a return (or a combination), plus the
 * file lines it came from so a rejection can be reported against each of them.
 */
record ImportedRecord(ProfileInput profile, OrderInput order, ReturnInput ret, List<Long> lines) {
}
