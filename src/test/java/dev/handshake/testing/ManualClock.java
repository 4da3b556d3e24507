package dev.handshake.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand (readable from other threads), for time-driven behaviour tested without sleeping. */
public final class ManualClock extends Clock {

    private volatile long millis;

    public ManualClock(Instant start) {
        this.millis = start.toEpochMilli();
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
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }

    public synchronized void advance(Duration d) {
        millis += d.toMillis();
    }

    public void set(Instant instant) {
        millis = instant.toEpochMilli();
    }
}
