package dev.caravan.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that keeps ticking with real time but can be moved: tests put "now" at a chosen instant. */
public class MutableClock extends Clock {

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
