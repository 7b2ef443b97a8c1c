package dev.cairn.storage.local;

import dev.cairn.storage.Backend;
import dev.cairn.testkit.BackendContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendContractTest extends BackendContract {
    @TempDir
    Path dir;

    @Override
    protected Backend newBackend() {
        // A root that does not exist yet, so every test also covers creating folders on demand.
        return new LocalBackend(dir.resolve("repo"));
    }
}
