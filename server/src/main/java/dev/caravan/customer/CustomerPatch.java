package dev.caravan.customer;

import java.time.LocalDate;
import java.util.List;

/**
 * A partial profile update: each field that is present replaces the stored value. {@code emails} and
 * {@code phones} replace the whole list (and the identity keys
 * that go with them). Classification (tier, tags, lifecycle, level) belongs to the rules and is not patched here.
 */
public record CustomerPatch(
        String displayName,
        String firstName,
        String lastName,
        String country,
        String language,
        String timezone,
        String currency,
        LocalDate birthday,
        List<String> emails,
        List<String> phones,
        List<Address> addresses) {
}
