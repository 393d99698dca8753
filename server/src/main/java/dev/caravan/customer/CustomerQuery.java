package dev.caravan.customer;

/**
 * Filters of the customer list and export. All are optional and combine with AND.
 *
 * @param q        a name fragment, an e-mail or a phone number
 * @param identity {@code platform:buyerId} (store-scoped platforms: {@code platform:storeId:buyerId})
 */
public record CustomerQuery(String q, String identity, String tier, String tag, String country, String lifecycle,
                            String level) {
}
