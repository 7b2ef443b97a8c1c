package dev.cairn.storage.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.TransientIOException;
import dev.cairn.storage.fault.FaultyBackend;
import dev.cairn.storage.fault.FaultyBackend.Op;
import dev.cairn.storage.memory.MemoryBackend;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingBackendTest {
    private static final Handle PACK = Handle.of(FileKind.PACK, "ab12");
    private static final byte[] BYTES = {1, 2, 3, 4, 5};

    private final MemoryBackend memory = new MemoryBackend();
    private final FaultyBackend faulty = new FaultyBackend(memory);
    private final List<Duration> sleeps = new ArrayList<>();

    private RetryingBackend retrying(int attempts) {
        return new RetryingBackend(faulty, attempts, Duration.ofMillis(200), Duration.ofSeconds(10),
                sleeps::add);
    }

    @Test
    void transientFailure_isRetried() throws IOException {
        faulty.failNext(Op.PUT, 2, () -> new TransientIOException("timeout"));

        retrying(5).put(PACK, Payload.of(BYTES));

        assertThat(memory.readAll(PACK)).isEqualTo(BYTES);
        assertThat(faulty.calls(Op.PUT)).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void retries_giveUpAfterMaxAttemptsWithLastError() {
        AtomicInteger failures = new AtomicInteger();
        faulty.failNext(Op.STAT, 10, () -> new TransientIOException("failure " + failures.incrementAndGet()));

        assertThatThrownBy(() -> retrying(5).stat(PACK))
                .isInstanceOf(TransientIOException.class)
                .hasMessage("failure 5");
        assertThat(faulty.calls(Op.STAT)).isEqualTo(5);
        assertThat(sleeps).hasSize(4);
    }

    @Test
    void backoff_doublesUpToTheCap() {
        faulty.failWhen(call -> true, () -> new TransientIOException("down"));
        RetryingBackend backend = new RetryingBackend(faulty, 8, Duration.ofMillis(200),
                Duration.ofSeconds(1), sleeps::add);

        assertThatThrownBy(() -> backend.list(FileKind.INDEX)).isInstanceOf(TransientIOException.class);

        assertThat(sleeps).extracting(Duration::toMillis)
                .containsExactly(200L, 400L, 800L, 1000L, 1000L, 1000L, 1000L);
    }

    @Test
    void permanentError_isNotRetried() {
        IOException permanent = new IOException("permission denied");
        faulty.failNext(Op.READ, 1, () -> permanent);

        assertThatThrownBy(() -> retrying(5).readAll(PACK)).isSameAs(permanent);
        assertThat(faulty.calls(Op.READ)).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void missingFile_isNotRetried() {
        assertThatThrownBy(() -> retrying(5).delete(PACK)).isInstanceOf(NoSuchFileException.class);
        assertThat(faulty.calls(Op.DELETE)).isEqualTo(1);
    }

    @Test
    void put_lostAcknowledgement_countsAsSuccess() throws IOException {
        faulty.putThenFail(handle -> true);

        retrying(5).put(PACK, Payload.of(BYTES));

        assertThat(memory.readAll(PACK)).isEqualTo(BYTES);
        assertThat(faulty.calls(Op.PUT)).isEqualTo(2);
    }

    @Test
    void put_afterTransientFailure_findingFileOfOtherSize_fails() throws IOException {
        memory.put(PACK, Payload.of(new byte[] {9, 9}));
        faulty.failNext(Op.PUT, 1, () -> new TransientIOException("timeout"));

        assertThatThrownBy(() -> retrying(5).put(PACK, Payload.of(BYTES)))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(memory.readAll(PACK)).containsExactly(9, 9);
    }

    @Test
    void put_onFirstAttempt_findingFileOfSameSize_fails() throws IOException {
        memory.put(PACK, Payload.of(new byte[BYTES.length]));

        assertThatThrownBy(() -> retrying(5).put(PACK, Payload.of(BYTES)))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void read_failingMidStream_callsConsumerAgainFromStart() throws IOException {
        memory.put(PACK, Payload.of(BYTES));
        List<byte[]> deliveries = new ArrayList<>();

        retrying(5).read(PACK, 0, 0, in -> {
            if (deliveries.isEmpty()) {
                deliveries.add(in.readNBytes(2));
                throw new TransientIOException("connection reset");
            }
            deliveries.add(in.readAllBytes());
        });

        assertThat(deliveries).hasSize(2);
        assertThat(deliveries.get(1)).isEqualTo(BYTES);
    }

    @Test
    void interruptedWhileWaiting_stopsWithInterruptedIOException() {
        faulty.failNext(Op.LIST, 1, () -> new TransientIOException("timeout"));
        RetryingBackend backend = new RetryingBackend(faulty, 5, Duration.ofMillis(200),
                Duration.ofSeconds(10), duration -> {
                    throw new InterruptedException();
                });
        try {
            assertThatThrownBy(() -> backend.list(FileKind.LOCK))
                    .isInstanceOf(InterruptedIOException.class)
                    .hasCauseInstanceOf(TransientIOException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void constructor_rejectsNonsense() {
        assertThatThrownBy(() -> new RetryingBackend(memory, 0, Duration.ZERO, Duration.ZERO, d -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryingBackend(memory, 3, Duration.ofSeconds(2),
                Duration.ofSeconds(1), d -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
