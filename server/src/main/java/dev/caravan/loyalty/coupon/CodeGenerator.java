package dev.caravan.loyalty.coupon;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Coupon codes: drawn from a {@link SecureRandom} over 31 characters that cannot be mistaken for each other when read
 * or typed (no 0/O, 1/I/L): 10 characters are about 49.5 bits, so with a million codes out a guess hits one with
 * probability about 1 in 800 million. Codes are compared upper case without spaces.
 */
final class CodeGenerator {

    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final Pattern PREFIX = Pattern.compile("^[A-HJKMNP-Z2-9]{1,8}-?$");
    /** What a stored code may look like (shared codes are chosen by marketers; also letters like O or I). */
    static final Pattern CODE = Pattern.compile("^[A-Z0-9][A-Z0-9_-]{2,63}$");

    private final SecureRandom random = new SecureRandom();

    String next(String prefix, int length) {
        StringBuilder sb = new StringBuilder((prefix == null ? 0 : prefix.length()) + length);
        if (prefix != null) sb.append(prefix);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    /** The stored form of a code as quoted by an order or a person: trimmed, upper case, no inner spaces. */
    static String normalize(String code) {
        if (code == null) return null;
        String c = code.trim().replace(" ", "").toUpperCase(Locale.ROOT);
        return c.isEmpty() ? null : c;
    }

    /** Bits of entropy of a generated code of this length. */
    static double bits(int length) {
        return length * Math.log(ALPHABET.length()) / Math.log(2);
    }
}
