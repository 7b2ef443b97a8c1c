package dev.cairn.storage.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.TransientIOException;
import dev.cairn.storage.fault.FaultyBackend;
import dev.cairn.storage.fault.FaultyBackend.Op;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.BackendContract;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The contract over a backend where every other call fails transiently, so that every call the
 * suite makes goes through at least one retry.
 */
class RetryingBackendContractTest extends BackendContract {
    private FaultyBackend faulty;

    @Override
    protected Backend newBackend() {
        faulty = new FaultyBackend(new MemoryBackend());
        // Alternating per thread and operation keeps this deterministic under concurrency: a
        // retry always runs on the same thread, so the second attempt of each call gets through.
        ThreadLocal<int[]> callsSoFar = ThreadLocal.withInitial(() -> new int[Op.values().length]);
        faulty.failWhen(call -> callsSoFar.get()[call.op().ordinal()]++ % 2 == 0,
                () -> new TransientIOException("flaky (injected)"));
        return new RetryingBackend(faulty, 5, Duration.ZERO, Duration.ZERO, duration -> {});
    }

    @Override
    protected boolean repeatedPutMaySucceed() {
        // Every retried put that meets its file with the payload's size takes it as its own.
        return true;
    }

    @Test
    void retries_areExercised() throws IOException {
        backend().put(Handle.of(FileKind.PACK, "ab"), Payload.of(new byte[1]));

        assertThat(faulty.calls(Op.PUT)).isEqualTo(2);
    }
}
