package dev.caravan.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that ticks with real time from a point tests choose, and can be moved forward ("time travel"). Register it
 * as the server's clock with {@link MarketingTest} (its own Spring context, so other tests keep the real clock).
 */
public class SettableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void setTo(Instant now) {
        offset = Duration.between(Instant.now(), now);
    }

    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
