package dev.cairn.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DebouncerTest {
    private static final Duration DELAY = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final Debouncer debouncer = new Debouncer(DELAY);

    @Test
    void tick_burstOfChanges_firesOnceAfterDelayFromFirstChange() {
        assertThat(debouncer.changed(T0)).contains(T0.plus(DELAY));
        for (int s = 1; s < 10; s++) {
            assertThat(debouncer.changed(T0.plusSeconds(s))).isEmpty();
        }

        assertThat(debouncer.tick(T0.plusSeconds(59))).isFalse();
        assertThat(debouncer.tick(T0.plusSeconds(60))).isTrue();
        assertThat(debouncer.tick(T0.plusSeconds(61))).isFalse();
        assertThat(debouncer.deadline()).isEmpty();
    }

    @Test
    void tick_changesEverySecond_stillFireWithinTheDelay() {
        int runs = 0;
        Instant firstRun = null;
        for (int s = 0; s <= 60; s++) {
            Instant now = T0.plusSeconds(s);
            debouncer.changed(now);
            if (debouncer.tick(now)) {
                runs++;
                firstRun = now;
            }
        }

        assertThat(runs).isEqualTo(1);
        assertThat(firstRun).isEqualTo(T0.plus(DELAY));
    }

    @Test
    void finished_changeDuringRun_causesExactlyOneMoreRun() {
        debouncer.changed(T0);
        assertThat(debouncer.tick(T0.plus(DELAY))).isTrue();
        debouncer.started();

        Instant during = T0.plus(DELAY).plusSeconds(5);
        debouncer.changed(during);
        debouncer.changed(during.plusSeconds(1));
        debouncer.changed(during.plusSeconds(2));
        assertThat(debouncer.tick(during.plusSeconds(100))).isFalse();

        assertThat(debouncer.finished()).contains(during.plus(DELAY));
        assertThat(debouncer.tick(during.plus(DELAY))).isTrue();
        debouncer.started();
        assertThat(debouncer.finished()).isEmpty();
        assertThat(debouncer.tick(during.plus(DELAY).plusSeconds(600))).isFalse();
    }

    @Test
    void finished_runLongerThanDelay_firesFollowUpAtOnce() {
        debouncer.changed(T0);
        debouncer.tick(T0.plus(DELAY));
        debouncer.started();
        debouncer.changed(T0.plus(DELAY).plusSeconds(1));

        Instant end = T0.plus(DELAY).plusSeconds(300);
        assertThat(debouncer.finished()).hasValueSatisfying(d -> assertThat(d).isBefore(end));
        assertThat(debouncer.tick(end)).isTrue();
    }

    @Test
    void changed_afterFiringButBeforeStart_isCoveredByThatRun() {
        debouncer.changed(T0);
        debouncer.tick(T0.plus(DELAY));
        debouncer.changed(T0.plus(DELAY).plusSeconds(1));
        debouncer.started();

        assertThat(debouncer.finished()).isEmpty();
    }

    @Test
    void finished_withoutChanges_goesIdle() {
        debouncer.changed(T0);
        debouncer.tick(T0.plus(DELAY));
        debouncer.started();

        assertThat(debouncer.finished()).isEmpty();
        assertThat(debouncer.changed(T0.plusSeconds(500))).contains(T0.plusSeconds(500).plus(DELAY));
    }
}
