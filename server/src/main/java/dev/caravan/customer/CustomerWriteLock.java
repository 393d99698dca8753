package dev.caravan.customer;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Serialises identity resolution and profile writes inside this server. The store has no multi-document
 * transactions, so deciding "which customer is this" and writing the answer must not interleave; across
 * servers the unique identity keys catch the rare race.
 */
@Component
public class CustomerWriteLock {

    private final ReentrantLock lock = new ReentrantLock(true);

    public <T> T call(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
