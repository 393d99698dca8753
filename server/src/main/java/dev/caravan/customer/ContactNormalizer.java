package dev.caravan.customer;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.caravan.security.BlindIndex;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Puts contact data into the one form identity matching compares: lower-case e-mails, E.164 phones,
 * ISO country codes, BCP 47 language tags and IANA time zones. Each method throws
 * {@link IllegalArgumentException} with a message fit to show the sender.
 */
@Component
public class ContactNormalizer {

    // Deliberately loose: the mail server is the judge; this only catches obvious garbage.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final IdentityProperties props;
    private final BlindIndex index;

    /** Without a blind index (unit tests of the normalising rules): {@link #key} and {@link #nameIndex} fail. */
    public ContactNormalizer(IdentityProperties props) {
        this(props, null);
    }

    @Autowired
    public ContactNormalizer(IdentityProperties props, BlindIndex index) {
        this.props = props;
        this.index = index;
    }

    /**
     * The identity key of a normalised e-mail, phone or relay address: {@code email:}, {@code phone:} or
     * {@code relay:} and the keyed hash (blind index) of the value, so no plaintext contact data is stored in
     * keys, or in the orders and events that remember the key they came with. Buyer keys stay readable
     * ({@link #buyerKey}).
     */
    public String key(IdentityKind kind, String normalisedValue) {
        if (kind == IdentityKind.BUYER) return kind.key(normalisedValue);
        if (index == null) throw new IllegalStateException("no blind index configured");
        return kind.key(index.hash(kind.key(normalisedValue)));
    }

    /** The key of a normalised e-mail: a relay key for marketplace relay addresses, else an e-mail key. */
    public String emailKey(String normalisedEmail) {
        return key(isRelayEmail(normalisedEmail) ? IdentityKind.RELAY : IdentityKind.EMAIL, normalisedEmail);
    }

    /** The key of an E.164 phone number. */
    public String phoneKey(String e164) {
        return key(IdentityKind.PHONE, e164);
    }

    /** The words of a name as searched: lower case, split at everything but letters and digits. */
    public static java.util.List<String> nameWords(String... names) {
        java.util.LinkedHashSet<String> words = new java.util.LinkedHashSet<>();
        for (String n : names) {
            if (n == null) continue;
            for (String w : WORD_SEPARATORS.split(n.toLowerCase(Locale.ROOT))) {
                if (!w.isEmpty()) words.add(w);
            }
        }
        return new java.util.ArrayList<>(words);
    }

    /** Blind index of the words of a customer's names (display, first and last), to find names by whole word. */
    public java.util.List<String> nameIndex(String displayName, String firstName, String lastName) {
        if (index == null) throw new IllegalStateException("no blind index configured");
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String w : nameWords(displayName, firstName, lastName)) out.add(index.hash("name:" + w));
        return out;
    }

    public String email(String raw) {
        String e = raw.trim().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(e).matches()) {
            throw new IllegalArgumentException("'" + raw + "' is not an e-mail address");
        }
        return e;
    }

    /** True for marketplace relay addresses, which identify one buyer and must never join two customers. */
    public boolean isRelayEmail(String normalisedEmail) {
        String domain = normalisedEmail.substring(normalisedEmail.indexOf('@') + 1);
        for (String pattern : props.relayEmailDomains()) {
            String p = pattern.toLowerCase(Locale.ROOT);
            if (p.endsWith(".*") ? domain.startsWith(p.substring(0, p.length() - 1)) : domain.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** E.164 form, reading national numbers in the given region (or the configured default). */
    public String phone(String raw, String regionHint) {
        String region = regionHint != null ? regionHint : props.defaultPhoneRegion();
        try {
            PhoneNumber number = phones.parse(raw, region);
            if (!phones.isValidNumber(number)) {
                throw new IllegalArgumentException("'" + raw + "' is not a valid phone number"
                        + (raw.trim().startsWith("+") ? "" : " for region " + region));
            }
            return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a phone number: " + e.getMessage());
        }
    }

    public String country(String raw) {
        return Countries.toCode(raw).orElseThrow(() ->
                new IllegalArgumentException("'" + raw + "' is not a country name or ISO 3166-1 alpha-2 code"));
    }

    public String language(String raw) {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(raw.trim().replace('_', '-')).build();
            if (locale.getLanguage().isEmpty()) {
                throw new IllformedLocaleException("no language");
            }
            return locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a BCP 47 language tag such as en or zh-CN");
        }
    }

    public String timezone(String raw) {
        try {
            return ZoneId.of(raw.trim()).getId();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + raw + "' is not an IANA time zone such as Europe/Berlin");
        }
    }

    public String currency(String raw) {
        String c = raw.trim().toUpperCase(Locale.ROOT);
        try {
            java.util.Currency.getInstance(c);
            return c;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + raw + "' is not an ISO 4217 currency code");
        }
    }

    public String buyerKey(String platform, String storeId, String buyerId) {
        String p = platform.trim().toLowerCase(Locale.ROOT);
        boolean storeScoped = props.storeScopedPlatforms().contains(p);
        return IdentityKind.BUYER.key(storeScoped ? p + "/" + (storeId == null ? "" : storeId) + ":" + buyerId
                : p + ":" + buyerId);
    }
}
