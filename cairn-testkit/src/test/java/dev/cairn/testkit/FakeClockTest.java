package dev.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClockTest {
    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void clock_standsStillUntilMoved() {
        FakeClock clock = new FakeClock(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void advance_movesForwardAndBack() {
        FakeClock clock = new FakeClock(START);

        assertThat(clock.advance(Duration.ofHours(2))).isEqualTo(START.plusSeconds(7200));
        assertThat(clock.advance(Duration.ofMinutes(-30))).isEqualTo(START.plusSeconds(5400));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(5400));
    }

    @Test
    void set_jumpsToTheInstant() {
        FakeClock clock = new FakeClock(START);
        Instant later = Instant.parse("2030-01-01T00:00:00Z");

        clock.set(later);

        assertThat(clock.instant()).isEqualTo(later);
    }

    @Test
    void withZone_sharesTheTime() {
        FakeClock clock = new FakeClock(START);
        FakeClock zoned = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofSeconds(5));

        assertThat(zoned.instant()).isEqualTo(START.plusSeconds(5));
        assertThat(zoned.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void advance_fromManyThreads_losesNoStep() throws InterruptedException {
        FakeClock clock = new FakeClock(START);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(clock.instant()).isEqualTo(START.plusSeconds(8));
    }
}
