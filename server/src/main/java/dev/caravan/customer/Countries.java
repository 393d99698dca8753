package dev.caravan.customer;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps country names and codes as marketplaces and spreadsheets write them ("Germany", "EIRE", "de") to
 * ISO 3166-1 alpha-2 codes. Names that are not one country ("European Community", "Unspecified") map to nothing.
 */
public final class Countries {

    private static final Set<String> CODES = Set.of(Locale.getISOCountries());
    private static final Map<String, String> BY_NAME = new HashMap<>();

    static {
        for (String code : CODES) {
            BY_NAME.put(key(new Locale("", code).getDisplayCountry(Locale.ENGLISH)), code);
        }
        Map.ofEntries(
                Map.entry("eire", "IE"), Map.entry("rsa", "ZA"), Map.entry("usa", "US"),
                Map.entry("united states of america", "US"), Map.entry("uk", "GB"), Map.entry("great britain", "GB"),
                Map.entry("england", "GB"), Map.entry("scotland", "GB"), Map.entry("wales", "GB"),
                Map.entry("northern ireland", "GB"), Map.entry("czech republic", "CZ"), Map.entry("czechia", "CZ"),
                Map.entry("korea", "KR"), Map.entry("south korea", "KR"), Map.entry("russia", "RU"),
                Map.entry("uae", "AE"), Map.entry("turkey", "TR"), Map.entry("turkiye", "TR"),
                Map.entry("holland", "NL"), Map.entry("the netherlands", "NL"), Map.entry("viet nam", "VN"),
                Map.entry("hong kong sar", "HK"), Map.entry("macau", "MO"), Map.entry("taiwan", "TW"),
                Map.entry("mainland china", "CN"), Map.entry("prc", "CN"), Map.entry("中国", "CN"))
                .forEach(BY_NAME::put);
    }

    private Countries() {
    }

    /** The alpha-2 code for a code or an English name, or empty when the text names no single country. */
    public static Optional<String> toCode(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.length() == 2 && CODES.contains(t.toUpperCase(Locale.ROOT))) {
            return Optional.of(t.toUpperCase(Locale.ROOT));
        }
        return Optional.ofNullable(BY_NAME.get(key(t)));
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
