package dev.cairn.agent.schedule;

/** What a scheduled job does: back a set up, or run a restore drill on it. */
public enum JobKind {
    BACKUP,
    DRILL
}
