package dev.caravan.integrations.marketplace;

import java.util.List;

/**
 * One page read from a platform, handed to the server to store before the next page is requested.
 *
 * @param next           the cursor to save once this page is stored
 * @param windowComplete this was the last page of the window
 */
public record SyncPage(String stream, SyncCursor current, List<MarketplaceOrder> orders,
                       List<MarketplaceBuyer> customers, List<SkippedRecord> skipped, SyncCursor next,
                       boolean windowComplete) {

    public SyncPage {
        orders = List.copyOf(orders);
        customers = List.copyOf(customers);
        skipped = List.copyOf(skipped);
    }
}
