package dev.caravan.messaging;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.springframework.stereotype.Component;

/**
 * Per-channel send rates of this server ({@code caravan.messaging.rate-per-second.<channel>}; Amazon's Messaging
 * API allows 1 request/s, WhatsApp Cloud API 80 messages/s by default). A consumer waits briefly for a permit; when
 * none comes, the message goes back to the outbox a little later instead of holding the consumer.
 */
@Component
class ChannelRateLimits {

    private static final Duration WAIT = Duration.ofMillis(250);

    private final Map<Channel, RateLimiter> limiters = new EnumMap<>(Channel.class);
    private final Map<Channel, Duration> slot = new EnumMap<>(Channel.class);

    ChannelRateLimits(MessagingProperties props) {
        for (Channel c : Channel.values()) {
            double perSecond = props.ratePerSecond().of(c);
            if (perSecond <= 0) continue;
            // permits per refresh period: whole permits per second, or one permit per 1/rate seconds
            int permits;
            Duration period;
            if (perSecond >= 1) {
                permits = (int) Math.round(perSecond / 10.0) >= 1 ? (int) Math.round(perSecond / 10.0) : 1;
                period = Duration.ofNanos((long) (1_000_000_000L * permits / perSecond));
            } else {
                permits = 1;
                period = Duration.ofMillis((long) (1000 / perSecond));
            }
            limiters.put(c, RateLimiter.of("caravan-" + c.id(), RateLimiterConfig.custom()
                    .limitForPeriod(permits).limitRefreshPeriod(period).timeoutDuration(WAIT).build()));
            slot.put(c, Duration.ofMillis(Math.max(50, (long) (1000 / perSecond))));
        }
    }

    /** True when the channel may send now (after waiting at most a quarter second). */
    boolean acquire(Channel c) {
        RateLimiter l = limiters.get(c);
        return l == null || l.acquirePermission();
    }

    /** How long to put a message back when no permit came. */
    Duration backoff(Channel c) {
        return slot.getOrDefault(c, Duration.ofMillis(100));
    }
}
