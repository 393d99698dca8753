package dev.caravan.messaging;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The channels messages go out on. Lower-case ids in the API and in consents. */
public enum Channel {
    EMAIL, WHATSAPP, AMAZON, EBAY, INBOX;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a channel id; throws {@link IllegalArgumentException} (answered with 400) for unknown ones. */
    public static Channel of(String id) {
        if (id != null) {
            for (Channel c : values()) {
                if (c.id().equals(id.trim().toLowerCase(Locale.ROOT))) return c;
            }
        }
        throw new IllegalArgumentException("channel must be one of " + ids() + ", not '" + id + "'");
    }

    public static String ids() {
        return Arrays.stream(values()).map(Channel::id).collect(Collectors.joining(", "));
    }
}
