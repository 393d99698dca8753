package dev.caravan.common.work;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background thread draining a durable queue: woken when something is queued, and polling every
 * {@code idlePoll} for entries other servers queued. Each round processes batches until one reports the queue
 * empty; a failing batch is logged and retried a second later (the entries stay queued).
 */
public final class QueueWorker {

    /** Processes one batch; false when there was nothing to do. */
    @FunctionalInterface
    public interface Batch {
        boolean process();
    }

    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);

    private final String name;
    private final Duration idlePoll;
    private final BooleanSupplier queueEmpty;
    private final Batch batch;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running = true;
    private volatile boolean busy;
    private Thread thread;

    /**
     * @param name       thread name, also used in log lines
     * @param queueEmpty whether the durable queue holds nothing (for {@link #idle()})
     */
    public QueueWorker(String name, Duration idlePoll, BooleanSupplier queueEmpty, Batch batch) {
        this.name = name;
        this.idlePoll = idlePoll;
        this.queueEmpty = queueEmpty;
        this.batch = batch;
    }

    public synchronized void start() {
        if (thread != null) return;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        running = false;
        wake.release();
    }

    /** Something was queued: run soon. */
    public void wake() {
        wake.release();
    }

    /** True while nothing is queued and no batch is running (tests, benchmarks). */
    public boolean idle() {
        return !busy && queueEmpty.getAsBoolean();
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                busy = false;
                if (running) log.warn("{} failed; retrying: {}", name, e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void drain() {
        while (running) {
            busy = true;
            try {
                if (!batch.process()) return;
            } finally {
                busy = false;
            }
        }
    }
}
