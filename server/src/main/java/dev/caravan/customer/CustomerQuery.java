package dev.caravan.customer;

/**
 * Filters of the customer list and export. All are optional and combine with AND.
 *
 * @param q        an exact e-mail or phone number, whole words of the name, or a customer id
 * @param identity {@code platform:buyerId} (store-scoped platforms: {@code platform:storeId:buyerId})
 */
public record CustomerQuery(String q, String identity, String tier, String tag, String country, String lifecycle,
                            String level) {
}
