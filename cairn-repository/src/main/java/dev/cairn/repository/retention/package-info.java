/**
 * Retention: which snapshots {@code cairn forget} keeps. A {@link
 * dev.cairn.repository.retention.Policy} says what to keep, {@link
 * dev.cairn.repository.retention.RetentionPlanner} decides for each {@link
 * dev.cairn.repository.retention.Candidate} and says why ({@link
 * dev.cairn.repository.retention.Decision}); {@link dev.cairn.repository.retention.Durations}
 * reads and writes keep-within durations. Pure logic, no I/O; it needs only what snapshot
 * envelopes hold (and tags, for keep-tag).
 */
package dev.cairn.repository.retention;
