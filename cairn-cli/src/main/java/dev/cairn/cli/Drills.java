package dev.cairn.cli;

import dev.cairn.client.backup.Progress;
import dev.cairn.client.drill.DrillOptions;
import dev.cairn.client.drill.DrillResult;
import dev.cairn.client.drill.RestoreDrill;
import dev.cairn.repository.Lock;
import dev.cairn.repository.Repository;
import dev.cairn.repository.StoredSnapshot;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Function;

/** The restore drill as {@code cairn verify} and the agent run it. */
final class Drills {
    private Drills() {}

    /**
     * Drills the snapshot {@code ref} names; {@code options} may look at the snapshot (to size a
     * sample by its file count). The lock is shared, like check's: prune takes an exclusive one,
     * so it cannot delete packs mid-drill and make intact data look damaged.
     */
    static DrillResult run(Repository repo, String ref, Function<StoredSnapshot, DrillOptions> options, Clock clock,
            Progress progress) throws IOException {
        try (Lock lock = Lock.acquire(repo, false, "verify (pid " + ProcessHandle.current().pid() + ")")) {
            StoredSnapshot s = repo.findSnapshot(ref);
            return new RestoreDrill(repo, clock, progress).run(s, options.apply(s));
        }
    }
}
