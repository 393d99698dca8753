package dev.caravan.customer;

import org.springframework.data.mongodb.core.mapping.event.BeforeConvertCallback;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code customers.nameIndex} (the blind index of the name words) in step with the encrypted names whenever
 * a whole profile is written (inserts, merges, unmerges); partial updates set it themselves ({@link ProfileChanges},
 * {@link CustomerService#patch}).
 */
@Component
class CustomerNameIndex implements BeforeConvertCallback<Customer> {

    private final ContactNormalizer normalizer;

    CustomerNameIndex(ContactNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    @Override
    public Customer onBeforeConvert(Customer c, String collection) {
        c.setNameIndex(normalizer.nameIndex(c.getDisplayName(), c.getFirstName(), c.getLastName()));
        return c;
    }
}
