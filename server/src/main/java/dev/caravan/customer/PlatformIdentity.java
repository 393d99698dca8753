package dev.caravan.customer;

import dev.caravan.security.Encrypted;

/**
 * How one marketplace or shop knows the buyer. {@code email} is the address that platform gave us, which
 * may be a relay address (e.g. Amazon's masked buyer e-mail) that reaches only this buyer through that platform.
 * It is stored encrypted.
 */
public record PlatformIdentity(String platform, String storeId, String buyerId, @Encrypted String email) {

    boolean sameAccount(PlatformIdentity other) {
        return platform.equals(other.platform) && java.util.Objects.equals(storeId, other.storeId)
                && buyerId.equals(other.buyerId);
    }
}
