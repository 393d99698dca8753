package dev.caravan.messaging;

import java.util.Locale;

/**
 * Why a message is sent. Marketing needs the customer's marketing consent for the channel and is subject to the
 * frequency cap and quiet hours; transactional (order confirmation, shipping, service replies) goes out at once,
 * resting on the order relationship, still only where the channel is allowed.
 */
public enum Purpose {
    MARKETING, TRANSACTIONAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Purpose of(String id) {
        if (id != null) {
            for (Purpose p : values()) {
                if (p.id().equals(id.trim().toLowerCase(Locale.ROOT))) return p;
            }
        }
        throw new IllegalArgumentException("purpose must be marketing or transactional, not '" + id + "'");
    }
}
