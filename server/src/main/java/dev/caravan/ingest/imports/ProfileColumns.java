package dev.caravan.ingest.imports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import dev.caravan.customer.Address;
import dev.caravan.customer.ContactNormalizer;
import dev.caravan.customer.ProfileInput;
import org.apache.commons.csv.CSVRecord;

/** The profile columns shared by the caravan customer and order formats (see docs/IMPORT_FORMATS.md). */
final class ProfileColumns {

    static final Set<String> COLUMNS = Set.of("customer_id", "platform", "store_id", "buyer_id", "email", "phone",
            "name", "first_name", "last_name", "country", "language", "timezone", "currency", "birthday",
            "address_line1", "address_line2", "city", "region", "postal_code");
    static final String CONSENT_PREFIX = "consent_";
    static final List<String> PREFIXES = List.of(CONSENT_PREFIX);

    private ProfileColumns() {
    }

    /**
     * @param preferredCurrency read the {@code currency} column as the customer's preferred currency (customer
     *                          files); order files use that column for the order's currency instead
     */
    static ProfileInput read(Columns cols, CSVRecord row, ContactNormalizer n, String source, Instant at,
                             boolean preferredCurrency) throws RowException {
        String country = normalised(cols, row, "country", n::country);
        Map<String, Boolean> consents = new LinkedHashMap<>();
        for (String name : cols.names()) {
            String key = Columns.normalise(name);
            if (key.startsWith(CONSENT_PREFIX) && key.length() > CONSENT_PREFIX.length()) {
                String v = cols.get(row, key);
                if (v != null) consents.put(key.substring(CONSENT_PREFIX.length()), bool(key, v));
            }
        }
        LocalDate birthday = null;
        String b = cols.get(row, "birthday");
        if (b != null) {
            try {
                birthday = LocalDate.parse(b);
            } catch (DateTimeParseException e) {
                throw new RowException("birthday '" + b + "' is not a date like 1990-04-21");
            }
        }
        String line1 = cols.get(row, "address_line1");
        Address address = line1 == null ? null : new Address(line1, cols.get(row, "address_line2"),
                cols.get(row, "city"), cols.get(row, "region"), cols.get(row, "postal_code"), country);
        String platform = cols.get(row, "platform");
        return ProfileInput.builder()
                .customerId(cols.get(row, "customer_id"))
                .platform(platform == null ? null : platform.toLowerCase(Locale.ROOT))
                .storeId(cols.get(row, "store_id"))
                .buyerId(cols.get(row, "buyer_id"))
                .email(normalised(cols, row, "email", n::email))
                .phone(normalised(cols, row, "phone", v -> n.phone(v, country)))
                .displayName(cols.get(row, "name"))
                .firstName(cols.get(row, "first_name"))
                .lastName(cols.get(row, "last_name"))
                .country(country)
                .language(normalised(cols, row, "language", n::language))
                .timezone(normalised(cols, row, "timezone", n::timezone))
                .currency(preferredCurrency ? normalised(cols, row, "currency", n::currency) : null)
                .birthday(birthday)
                .address(address)
                .consents(consents)
                .source(source)
                .at(at)
                .build();
    }

    static String normalised(Columns cols, CSVRecord row, String column, UnaryOperator<String> normaliser)
            throws RowException {
        String v = cols.get(row, column);
        if (v == null) return null;
        try {
            return normaliser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new RowException(column + ": " + e.getMessage());
        }
    }

    static boolean bool(String column, String v) throws RowException {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> true;
            case "false", "no", "n", "0" -> false;
            default -> throw new RowException(column + " '" + v + "' is not true/false");
        };
    }
}
