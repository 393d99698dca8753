package dev.caravan.messaging;

import java.util.Locale;
import java.util.Set;

/**
 * Where a message stands: {@code queued → (deferred) → sending → sent → delivered → read}, or one of the ends
 * {@code bounced}, {@code failed} (the dead letters), {@code suppressed} (refused by consent, policy or cap: never sent).
 */
public enum MessageStatus {
    QUEUED, DEFERRED, SENDING, SENT, DELIVERED, READ, BOUNCED, FAILED, SUPPRESSED;

    /** Statuses still waiting for the outbox. */
    public static final Set<MessageStatus> PENDING = Set.of(QUEUED, DEFERRED, SENDING);

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MessageStatus of(String id) {
        for (MessageStatus s : values()) {
            if (s.id().equalsIgnoreCase(id == null ? "" : id.trim())) return s;
        }
        throw new IllegalArgumentException("status must be one of queued, deferred, sending, sent, delivered, read, "
                + "bounced, failed, suppressed; not '" + id + "'");
    }

    public boolean reached() {
        return this == SENT || this == DELIVERED || this == READ;
    }
}
