package dev.caravan.segment;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.springframework.stereotype.Component;

/**
 * One writer of memberships and behaviour summaries at a time: a lock in this server, then a lease in the store
 * (ShedLock) across servers. Held per batch of customers, so incremental updates and refresh jobs interleave.
 */
@Component
class MembershipLock {

    private static final String NAME = "segment-memberships";
    private static final Duration AT_MOST = Duration.ofMinutes(10);
    private static final Duration GIVE_UP = Duration.ofMinutes(5);

    private final LockProvider provider;
    private final ReentrantLock local = new ReentrantLock(true);

    MembershipLock(LockProvider provider) {
        this.provider = provider;
    }

    <T> T call(Supplier<T> work) {
        local.lock();
        try {
            SimpleLock lease = acquire();
            try {
                return work.get();
            } finally {
                lease.unlock();
            }
        } finally {
            local.unlock();
        }
    }

    private SimpleLock acquire() {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            Optional<SimpleLock> lock = provider.lock(new LockConfiguration(Instant.now(), NAME, AT_MOST, Duration.ZERO));
            if (lock.isPresent()) return lock.get();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another server holds the segment membership lock for too long");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the segment membership lock", e);
            }
        }
    }
}
