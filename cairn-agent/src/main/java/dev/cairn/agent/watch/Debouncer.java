package dev.cairn.agent.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a stream of file changes into backup runs, driven by the instants it is given rather
 * than by any clock or thread of its own. Thread-safe.
 *
 * <p>The first change of a burst starts a timer of {@code delay}; further changes do not move
 * it, so a file saved every second is still backed up within the delay rather than postponed
 * for as long as it keeps changing. When the timer expires, {@link #tick} answers true once and
 * the run is handed to the agent. Changes after that but before the run starts are covered by
 * the run. Changes while it runs make exactly one more burst, whose timer counts from the first
 * of them, so when the run outlasted the delay the next run may start at once.
 */
final class Debouncer {
    private enum State { IDLE, PENDING, FIRED, RUNNING }

    private final Duration delay;
    private State state = State.IDLE;
    private Instant firstChange;
    private Instant changedWhileRunning;

    Debouncer(Duration delay) {
        this.delay = Objects.requireNonNull(delay, "delay");
    }

    /**
     * Notes a change at {@code now}; returns the deadline when this change started a new burst,
     * so the caller can arrange a tick for it.
     */
    synchronized Optional<Instant> changed(Instant now) {
        switch (state) {
            case IDLE -> {
                state = State.PENDING;
                firstChange = now;
                return deadline();
            }
            case RUNNING -> {
                if (changedWhileRunning == null) {
                    changedWhileRunning = now;
                }
            }
            default -> {
                // Already waiting, or about to run: that run will see this change.
            }
        }
        return Optional.empty();
    }

    /** When the pending burst fires, if one is pending. */
    synchronized Optional<Instant> deadline() {
        return state == State.PENDING ? Optional.of(firstChange.plus(delay)) : Optional.empty();
    }

    /** Whether a run should be started now; true once per burst. */
    synchronized boolean tick(Instant now) {
        if (state == State.PENDING && !now.isBefore(firstChange.plus(delay))) {
            state = State.FIRED;
            return true;
        }
        return false;
    }

    /** The run handed out by {@link #tick} has started scanning the files. */
    synchronized void started() {
        if (state == State.FIRED || state == State.PENDING) {
            state = State.RUNNING;
            changedWhileRunning = null;
        }
    }

    /**
     * The run has finished; returns the deadline of the follow-up burst when files changed
     * during it.
     */
    synchronized Optional<Instant> finished() {
        if (state != State.RUNNING) {
            return deadline();
        }
        if (changedWhileRunning == null) {
            state = State.IDLE;
            return Optional.empty();
        }
        state = State.PENDING;
        firstChange = changedWhileRunning;
        changedWhileRunning = null;
        return deadline();
    }
}
