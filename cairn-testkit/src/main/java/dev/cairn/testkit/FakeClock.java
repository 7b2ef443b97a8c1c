package dev.cairn.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, with {@link #set} or {@link #advance}.
 * It may be moved backwards too, to imitate a clock that was corrected. Thread-safe: every thread
 * sees each move at once. Clocks made by {@link #withZone} share this clock's time.
 */
public final class FakeClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock showing {@code start}, in UTC. */
    public FakeClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves the clock to {@code instant}. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /** Moves the clock by {@code duration}, which may be negative, and returns the new time. */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public FakeClock withZone(ZoneId zone) {
        return new FakeClock(now, Objects.requireNonNull(zone, "zone"));
    }

    @Override
    public String toString() {
        return "FakeClock[" + now.get() + ", " + zone + "]";
    }
}
