package dev.caravan.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Outbox leases across restarts. On start, the messages this server held when it last stopped are released so the
 * sweep takes them at once (a message caught while being sent is sent again: at least once). On stop, which runs
 * after Camel has stopped and its in-flight sends completed, messages still queued in memory are released.
 */
@Component
class OutboxLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxLifecycle.class);

    private final OutboxStore store;
    private final OutboxNode node;
    private volatile boolean running;

    OutboxLifecycle(OutboxStore store, OutboxNode node) {
        this.store = store;
        this.node = node;
    }

    @Override
    public void start() {
        long released = store.releaseAll(node.id(), true);
        if (released > 0) {
            log.info("Released {} outbox messages this server ({}) held before it stopped", released, node.id());
        }
        running = true;
    }

    @Override
    public void stop() {
        try {
            long released = store.releaseAll(node.id(), false);
            if (released > 0) log.info("Released {} queued outbox messages on shutdown", released);
        } catch (RuntimeException e) {
            log.warn("Could not release outbox leases on shutdown; they run out by themselves: {}", e.toString());
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after Camel (phase Integer.MAX_VALUE - 2049), starts before it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }
}
