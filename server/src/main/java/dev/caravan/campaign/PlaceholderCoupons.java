package dev.caravan.campaign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Temporary stand-in for the loyalty feature's coupons (not a bean): a deterministic code per customer, definition
 * and reference ({@code <DEFINITION>-<10 hex>}), stored nowhere and redeemable nowhere. Replaced as soon as a
 * {@link CouponIssuer} bean exists.
 */
final class PlaceholderCoupons implements CouponIssuer {

    @Override
    public IssuedCoupon issue(String customerId, String definitionId, String reference) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((definitionId + "|" + customerId + "|" + reference).getBytes(StandardCharsets.UTF_8));
            String code = definitionId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "") + "-"
                    + HexFormat.of().formatHex(d, 0, 5).toUpperCase(Locale.ROOT);
            return new IssuedCoupon(code, "coupon " + definitionId, null);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
