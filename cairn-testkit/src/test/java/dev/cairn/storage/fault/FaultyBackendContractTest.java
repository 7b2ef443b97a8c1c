package dev.cairn.storage.fault;

import dev.cairn.storage.Backend;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.BackendContract;

/** Without faults, the wrapper must be invisible. */
class FaultyBackendContractTest extends BackendContract {
    @Override
    protected Backend newBackend() {
        return new FaultyBackend(new MemoryBackend());
    }
}
