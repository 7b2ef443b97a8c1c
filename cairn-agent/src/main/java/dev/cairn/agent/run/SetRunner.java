package dev.cairn.agent.run;

import dev.cairn.agent.config.BackupMode;
import dev.cairn.agent.config.BackupSet;
import dev.cairn.agent.report.RunReport;

/**
 * Does the actual work of a run; supplied by the command line, which knows how to open
 * repositories and run the archiver. The agent calls it on a worker thread, never twice at once
 * for the same set, and takes care of everything around it: schedules, hooks, status, reports.
 *
 * <p>Each method returns the report of what it did, with {@code result} failed when it could not
 * do it. An exception also marks the run failed, with the exception's message as the reason. A
 * run should stop early, with an exception, when its thread is interrupted: the agent is
 * shutting down.
 */
public interface SetRunner {
    /** Backs {@code set} up in {@code mode}, which the agent resolved from mode and full-every. */
    RunReport backup(BackupSet set, BackupMode mode) throws Exception;

    /** Applies the set's retention policy (it is not empty) after a successful backup. */
    RunReport forget(BackupSet set) throws Exception;

    /** Restores a sample of the set's latest snapshot and checks it, per the set's drill sample. */
    RunReport drill(BackupSet set) throws Exception;
}
