package dev.cairn.agent.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Commands run around each backup of a set: {@code pre} before it (its failure cancels the
 * backup), {@code post} after it (always, with the result in {@code CAIRN_RESULT}). Each runs
 * through the platform shell and is stopped after {@code timeout}.
 */
public record HookSpec(Optional<String> pre, Optional<String> post, Duration timeout) {
    /** The default time a hook may take: ten minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** No hooks. */
    public static final HookSpec NONE = new HookSpec(Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT);

    public HookSpec {
        Objects.requireNonNull(pre, "pre");
        Objects.requireNonNull(post, "post");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Whether there is a hook to run at all. */
    public boolean isEmpty() {
        return pre.isEmpty() && post.isEmpty();
    }
}
