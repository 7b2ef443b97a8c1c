package dev.cairn.agent.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.memory.MemoryBackend;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    /** Time that passes only when someone sleeps. */
    private static final class FakeTicker implements RateLimiter.Ticker {
        long now = 1_000_000_000L;
        long slept;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
            slept += nanos;
        }
    }

    @Test
    void acquire_withinBurst_doesNotSleep() throws Exception {
        FakeTicker ticker = new FakeTicker();
        RateLimiter limiter = new RateLimiter(10_000, ticker);

        limiter.acquire(1_000); // the bucket holds a tenth of a second

        assertThat(ticker.slept).isZero();
    }

    @Test
    void acquire_manyChunks_takesBytesOverRateSeconds() throws Exception {
        FakeTicker ticker = new FakeTicker();
        RateLimiter limiter = new RateLimiter(1_000, ticker);

        for (int i = 0; i < 100; i++) {
            limiter.acquire(100);
        }

        // 10,000 bytes at 1,000 B/s, less the 100-byte burst allowance: 9.9 s.
        assertThat(ticker.slept).isEqualTo(9_900_000_000L);
    }

    @Test
    void acquire_afterIdle_refillsOnlyUpToBurst() throws Exception {
        FakeTicker ticker = new FakeTicker();
        RateLimiter limiter = new RateLimiter(1_000, ticker);
        ticker.now += 60_000_000_000L; // a minute idle

        limiter.acquire(1_100);

        assertThat(ticker.slept).isEqualTo(1_000_000_000L);
    }

    @Test
    void throttledBackend_putAndRead_passBytesIntactAndCountThem() throws Exception {
        FakeTicker up = new FakeTicker();
        FakeTicker down = new FakeTicker();
        MemoryBackend memory = new MemoryBackend();
        Backend backend = new ThrottledBackend(memory, new RateLimiter(100_000, up), new RateLimiter(50_000, down));
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Handle handle = Handle.of(FileKind.PACK, "00ff");

        backend.put(handle, Payload.of(data));
        byte[] whole = backend.readAll(handle);
        byte[] range = backend.readRange(handle, 1000, 5000);

        assertThat(memory.readAll(handle)).isEqualTo(data);
        assertThat(whole).isEqualTo(data);
        assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 6000));
        assertThat(up.slept).isEqualTo(2_900_000_000L);          // (300,000 - 10,000) / 100,000 B/s
        assertThat(down.slept).isEqualTo(6_000_000_000L);        // (305,000 - 5,000) / 50,000 B/s
        assertThat(backend.stat(handle).size()).isEqualTo(data.length);
        assertThat(backend.list(FileKind.PACK)).hasSize(1);
    }

    @Test
    void limit_withoutLimits_returnsBackendItself() {
        MemoryBackend memory = new MemoryBackend();

        assertThat(ThrottledBackend.limit(memory, 0, 0)).isSameAs(memory);
        assertThat(ThrottledBackend.limit(memory, 1 << 20, 0)).isInstanceOf(ThrottledBackend.class);
    }
}
