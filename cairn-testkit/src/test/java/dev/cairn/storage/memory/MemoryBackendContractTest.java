package dev.cairn.storage.memory;

import dev.cairn.storage.Backend;
import dev.cairn.testkit.BackendContract;

class MemoryBackendContractTest extends BackendContract {
    @Override
    protected Backend newBackend() {
        return new MemoryBackend();
    }
}
