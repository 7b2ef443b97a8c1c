package dev.cairn.server.cli;

import dev.cairn.server.CairnServer;
import java.io.IOException;
import java.nio.file.Path;

/** Takes the data directory's server lock for work that must not run beside a server. */
final class OfflineLock {
    private OfflineLock() {}

    static AutoCloseable take(Path data, String what) {
        try {
            return CairnServer.lockForOfflineWork(data);
        } catch (IOException e) {
            throw new ServerCommand.UserError("cannot " + what + " while a server is running on " + data
                    + " (it holds " + data.resolve("server.lock") + "). The running server does its own maintenance"
                    + " every maintenance interval; stop it (SIGTERM) to " + what + " now.");
        }
    }
}
