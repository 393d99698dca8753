package dev.caravan.tracking;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/** Fixed one-minute windows per publishable key and per client address, in this server's memory. */
@Component
class RateLimits {

    private static final int MAX_TRACKED = 200_000;

    private final TrackingProperties props;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile long window = -1;

    RateLimits(TrackingProperties props) {
        this.props = props;
    }

    /** True when the request may pass; counts it. */
    boolean allow(String key, String ip) {
        long minute = System.currentTimeMillis() / 60_000;
        if (minute != window) {
            synchronized (this) {
                if (minute != window) {
                    counts.clear();
                    window = minute;
                }
            }
        }
        if (counts.size() > MAX_TRACKED) counts.clear();   // a flood of addresses: start over rather than grow
        int k = counts.computeIfAbsent("k:" + key, x -> new AtomicInteger()).incrementAndGet();
        int i = counts.computeIfAbsent("i:" + ip, x -> new AtomicInteger()).incrementAndGet();
        return k <= props.perKeyPerMinute() && i <= props.perIpPerMinute();
    }

    /** Seconds until the current window ends. */
    long retryAfter() {
        return 60 - (System.currentTimeMillis() / 1000) % 60;
    }
}
