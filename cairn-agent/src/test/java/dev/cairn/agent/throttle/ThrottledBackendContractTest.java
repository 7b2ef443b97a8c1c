package dev.cairn.agent.throttle;

import dev.cairn.storage.Backend;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.BackendContract;

/** The wrapper keeps every rule of the backend contract (with limits high enough not to slow the suite). */
class ThrottledBackendContractTest extends BackendContract {
    @Override
    protected Backend newBackend() {
        return new ThrottledBackend(new MemoryBackend(), new RateLimiter(1L << 40), new RateLimiter(1L << 40));
    }
}
