package dev.cairn.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per key (a client address or an account name) in a sliding
 * window. Once a key has {@code limit} failures inside the window, {@link #blocked} reports how
 * long until the oldest of them leaves it.
 */
final class FailureLimiter {
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    FailureLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    void recordFailure(String key) {
        long now = clock.millis();
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            expire(times, now);
            times.addLast(now);
        }
        if (failures.size() > 100_000) {
            sweep(now); // bound memory under a scan from many addresses
        }
    }

    /** How long {@code key} must wait, or empty if it may try now. */
    Optional<Duration> blocked(String key) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        synchronized (times) {
            expire(times, now);
            if (times.size() < limit) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(times.peekFirst() + window.toMillis() - now));
        }
    }

    private void expire(Deque<Long> times, long now) {
        long cutoff = now - window.toMillis();
        while (!times.isEmpty() && times.peekFirst() <= cutoff) {
            times.removeFirst();
        }
    }

    private void sweep(long now) {
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                expire(e.getValue(), now);
                return e.getValue().isEmpty();
            }
        });
    }
}
