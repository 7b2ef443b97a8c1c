package dev.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rules of the {@link Backend} contract, as tests every backend must pass. Subclass it and
 * implement {@link #newBackend()}; each test gets a fresh, empty backend and closes it afterwards.
 *
 * <p>Where two puts of one handle compete, their payloads differ in length. A backend that
 * retries may recognise its own earlier, landed upload by the file's size (files are
 * content-addressed), and these tests must not mistake that for an overwrite.
 */
public abstract class BackendContract {
    private static final int MIB = 1024 * 1024;
    private static final int THREADS = 8;
    private static final long TIMEOUT_SECONDS = 120;

    private Backend backend;

    /** A new, empty backend; it is closed after the test. */
    protected abstract Backend newBackend() throws Exception;

    /** The backend under test, for extra tests in subclasses. */
    protected final Backend backend() {
        return backend;
    }

    @BeforeEach
    final void openBackend() throws Exception {
        backend = newBackend();
    }

    @AfterEach
    final void closeBackend() throws IOException {
        if (backend != null) {
            backend.close();
        }
    }

    // --- put and read back ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(FileKind.class)
    void put_roundtripsEachKind(FileKind kind) throws IOException {
        Handle handle = handle(kind, 1);
        byte[] bytes = bytes(1000 + kind.ordinal(), kind.ordinal());

        backend.put(handle, Payload.of(bytes));

        assertSameBytes(backend.readAll(handle), bytes);
        assertThat(backend.stat(handle)).isEqualTo(new FileInfo(handle, bytes.length));
    }

    @Test
    void put_emptyFile_roundtrips() throws IOException {
        Handle handle = pack(1);

        backend.put(handle, Payload.of(new byte[0]));

        assertThat(backend.readAll(handle)).isEmpty();
        assertThat(backend.stat(handle).size()).isZero();
        assertThat(backend.list(FileKind.PACK)).containsExactly(new FileInfo(handle, 0));
    }

    @Test
    void put_largeFile_roundtrips() throws IOException {
        Handle handle = pack(1);
        byte[] bytes = bytes(17 * MIB, 1);

        backend.put(handle, Payload.of(bytes));

        assertSameBytes(backend.readAll(handle), bytes);
        assertThat(backend.stat(handle).size()).isEqualTo(bytes.length);
        long straddling = 16L * MIB - 1000;
        assertSameBytes(backend.readRange(handle, straddling, 5000),
                Arrays.copyOfRange(bytes, (int) straddling, (int) straddling + 5000));
    }

    @Test
    void put_storesCopyOfPayloadBytes() throws IOException {
        Handle handle = pack(1);
        byte[] bytes = bytes(100, 1);
        byte[] original = bytes.clone();

        backend.put(handle, Payload.of(bytes));
        Arrays.fill(bytes, (byte) 0);

        assertSameBytes(backend.readAll(handle), original);
    }

    @Test
    void put_failingPayload_storesNothing() throws IOException {
        Handle handle = pack(1);
        Payload failing = failingPayload(10_000, 4000);

        assertThatThrownBy(() -> backend.put(handle, failing)).isInstanceOf(IOException.class);

        assertThat(backend.exists(handle)).isFalse();
        assertThat(backend.list(FileKind.PACK)).isEmpty();
        byte[] bytes = bytes(10_000, 2);
        backend.put(handle, Payload.of(bytes));
        assertSameBytes(backend.readAll(handle), bytes);
    }

    @Test
    void put_refusesOverwrite() throws IOException {
        Handle handle = pack(1);
        byte[] original = bytes(1000, 1);
        backend.put(handle, Payload.of(original));

        assertThatThrownBy(() -> backend.put(handle, Payload.of(bytes(2000, 2))))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertSameBytes(backend.readAll(handle), original);
        assertThat(backend.list(FileKind.PACK)).containsExactly(new FileInfo(handle, 1000));
    }

    @Test
    void put_refusesOverwriteOfConfig() throws IOException {
        byte[] original = bytes(300, 1);
        backend.put(Handle.config(), Payload.of(original));

        assertThatThrownBy(() -> backend.put(Handle.config(), Payload.of(bytes(200, 2))))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertSameBytes(backend.readAll(Handle.config()), original);
    }

    @Test
    void put_afterDelete_succeeds() throws IOException {
        Handle handle = lock(1);
        backend.put(handle, Payload.of(bytes(10, 1)));
        backend.delete(handle);
        byte[] replacement = bytes(20, 2);

        backend.put(handle, Payload.of(replacement));

        assertSameBytes(backend.readAll(handle), replacement);
    }

    // --- ranged reads ---------------------------------------------------------------------

    @Test
    void read_rangeAtStart_returnsThoseBytes() throws IOException {
        byte[] bytes = bytes(10_000, 1);
        Handle handle = stored(bytes);

        assertSameBytes(backend.readRange(handle, 0, 100), Arrays.copyOfRange(bytes, 0, 100));
    }

    @Test
    void read_rangeInMiddle_returnsThoseBytes() throws IOException {
        byte[] bytes = bytes(10_000, 1);
        Handle handle = stored(bytes);

        assertSameBytes(backend.readRange(handle, 4000, 1234), Arrays.copyOfRange(bytes, 4000, 5234));
    }

    @Test
    void read_rangeAtEnd_returnsThoseBytes() throws IOException {
        byte[] bytes = bytes(10_000, 1);
        Handle handle = stored(bytes);

        assertSameBytes(backend.readRange(handle, 9900, 100), Arrays.copyOfRange(bytes, 9900, 10_000));
    }

    @Test
    void read_lengthZero_readsToEnd() throws IOException {
        byte[] bytes = bytes(10_000, 1);
        Handle handle = stored(bytes);

        assertSameBytes(backend.readRange(handle, 4000, 0), Arrays.copyOfRange(bytes, 4000, 10_000));
    }

    @Test
    void read_rangePastEnd_fails() throws IOException {
        Handle handle = stored(bytes(10_000, 1));

        assertPermanentFailureNaming(handle, () -> drain(handle, 9900, 101));
    }

    @Test
    void read_offsetPastEnd_fails() throws IOException {
        Handle handle = stored(bytes(10_000, 1));

        assertPermanentFailureNaming(handle, () -> drain(handle, 10_001, 0));
    }

    @Test
    void read_consumerException_propagates() throws IOException {
        Handle handle = stored(bytes(100, 1));
        IOException failure = new IOException("consumer gave up");

        assertThatThrownBy(() -> backend.read(handle, 0, 0, in -> {
            throw failure;
        })).isSameAs(failure);
    }

    // --- missing files ----------------------------------------------------------------------

    @Test
    void read_missingFile_throwsNoSuchFile() {
        assertThatThrownBy(() -> drain(pack(1), 0, 0)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void stat_missingFile_throwsNoSuchFile() {
        assertThatThrownBy(() -> backend.stat(pack(1))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void delete_missingFile_throwsNoSuchFile() {
        assertThatThrownBy(() -> backend.delete(pack(1))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void read_missingConfig_throwsNoSuchFile() {
        assertThatThrownBy(() -> backend.readAll(Handle.config()))
                .isInstanceOf(NoSuchFileException.class);
    }

    // --- stat, exists, readAll --------------------------------------------------------------

    @Test
    void stat_reportsSizes() throws IOException {
        int[] sizes = {0, 1, 4095, 4096, 65_537};
        for (int i = 0; i < sizes.length; i++) {
            backend.put(snapshot(i), Payload.of(bytes(sizes[i], i)));
        }

        for (int i = 0; i < sizes.length; i++) {
            assertThat(backend.stat(snapshot(i))).isEqualTo(new FileInfo(snapshot(i), sizes[i]));
        }
    }

    @Test
    void exists_reflectsPresence() throws IOException {
        Handle handle = index(1);
        assertThat(backend.exists(handle)).isFalse();

        backend.put(handle, Payload.of(bytes(10, 1)));
        assertThat(backend.exists(handle)).isTrue();
        assertThat(backend.exists(index(2))).isFalse();

        backend.delete(handle);
        assertThat(backend.exists(handle)).isFalse();
    }

    @Test
    void readAll_returnsWholeFile() throws IOException {
        byte[] bytes = bytes(5000, 1);
        Handle handle = stored(bytes);

        assertSameBytes(backend.readAll(handle), bytes);
    }

    // --- list -------------------------------------------------------------------------------

    @Test
    void list_returnsOnlyThatKind() throws IOException {
        List<FileInfo> all = new ArrayList<>();
        for (FileKind kind : FileKind.values()) {
            int copies = kind == FileKind.CONFIG ? 1 : 3;
            for (int i = 0; i < copies; i++) {
                Handle handle = handle(kind, i);
                int size = 10 * kind.ordinal() + i;
                backend.put(handle, Payload.of(bytes(size, i)));
                all.add(new FileInfo(handle, size));
            }
        }

        for (FileKind kind : FileKind.values()) {
            assertThat(backend.list(kind)).as("%s", kind).containsExactlyInAnyOrderElementsOf(
                    all.stream().filter(info -> info.handle().kind() == kind).toList());
        }
    }

    @Test
    void list_returnsEachFileOnce() throws IOException {
        Set<FileInfo> expected = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            backend.put(pack(i), Payload.of(bytes(i % 50, i)));
            expected.add(new FileInfo(pack(i), i % 50));
        }

        List<FileInfo> listed = backend.list(FileKind.PACK);

        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @EnumSource(FileKind.class)
    void list_emptyKind_isEmpty(FileKind empty) throws IOException {
        assertThat(backend.list(empty)).isEmpty();
        for (FileKind kind : FileKind.values()) {
            if (kind != empty) {
                backend.put(handle(kind, 1), Payload.of(bytes(10, 1)));
            }
        }

        assertThat(backend.list(empty)).isEmpty();
    }

    // --- delete -----------------------------------------------------------------------------

    @Test
    void delete_thenReadFails() throws IOException {
        Handle handle = stored(bytes(100, 1));
        Handle other = pack(2);
        backend.put(other, Payload.of(bytes(50, 2)));

        backend.delete(handle);

        assertThatThrownBy(() -> drain(handle, 0, 0)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> backend.stat(handle)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> backend.delete(handle)).isInstanceOf(NoSuchFileException.class);
        assertThat(backend.list(FileKind.PACK)).containsExactly(new FileInfo(other, 50));
    }

    // --- concurrency ------------------------------------------------------------------------

    @Test
    void put_racingSameHandle_exactlyOneWins() throws Exception {
        for (int round = 0; round < 10; round++) {
            Handle handle = pack(round);
            List<byte[]> contenders = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                contenders.add(bytes(64 * 1024 + 100 * i + 1, round * THREADS + i));
            }

            List<Boolean> won = race(handle, contenders);

            assertThat(won).as("winners of round %d", round).containsOnlyOnce(true);
            assertSameBytes(backend.readAll(handle), contenders.get(won.indexOf(true)));
        }
    }

    @Test
    void put_concurrentDistinctHandles_allSucceed() throws Exception {
        int perThread = 25;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t * perThread;
            tasks.add(() -> {
                for (int i = first; i < first + perThread; i++) {
                    backend.put(pack(i), Payload.of(bytes(1000 + i, i)));
                }
                return null;
            });
        }

        runConcurrently(tasks);

        int total = THREADS * perThread;
        assertThat(backend.list(FileKind.PACK)).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertSameBytes(backend.readAll(pack(i)), bytes(1000 + i, i));
        }
    }

    @Test
    void location_isDescribed() {
        assertThat(backend.location()).isNotBlank();
    }

    // --- helpers ----------------------------------------------------------------------------

    /** Puts each contender's bytes at once from its own thread; tells which puts succeeded. */
    private List<Boolean> race(Handle handle, List<byte[]> contenders) throws Exception {
        CyclicBarrier start = new CyclicBarrier(contenders.size());
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (byte[] bytes : contenders) {
            tasks.add(() -> {
                start.await();
                try {
                    backend.put(handle, Payload.of(bytes));
                    return true;
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
            });
        }
        return runConcurrently(tasks);
    }

    private static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(await(future));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Rethrow what the task threw so the test failure shows the real cause.
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new AssertionError("task did not finish within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    private void assertPermanentFailureNaming(Handle handle, ThrowingRunnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class)
                .isNotInstanceOf(TransientIOException.class)
                .hasMessageContaining(handle.name());
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Reads through {@link Backend#read} itself, bypassing the default methods' own checks. */
    private void drain(Handle handle, long offset, long length) throws IOException {
        backend.read(handle, offset, length, InputStream::readAllBytes);
    }

    private Handle stored(byte[] bytes) throws IOException {
        Handle handle = pack(1);
        backend.put(handle, Payload.of(bytes));
        return handle;
    }

    /** A payload whose source fails with an IOException after {@code failAt} bytes. */
    private static Payload failingPayload(int length, int failAt) {
        return new Payload() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    private int served;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (served >= failAt) {
                            throw new IOException("payload source failed");
                        }
                        int n = Math.min(len, failAt - served);
                        served += n;
                        return n;
                    }
                };
            }
        };
    }

    private static Handle pack(int seed) {
        return handle(FileKind.PACK, seed);
    }

    private static Handle index(int seed) {
        return handle(FileKind.INDEX, seed);
    }

    private static Handle snapshot(int seed) {
        return handle(FileKind.SNAPSHOT, seed);
    }

    private static Handle lock(int seed) {
        return handle(FileKind.LOCK, seed);
    }

    /** A handle of the given kind with a content-address-like name derived from {@code seed}. */
    private static Handle handle(FileKind kind, int seed) {
        if (kind == FileKind.CONFIG) {
            return Handle.config();
        }
        Random random = new Random(seed * 31L + kind.ordinal());
        StringBuilder name = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            name.append(Character.forDigit(random.nextInt(16), 16));
        }
        return Handle.of(kind, name.toString());
    }

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void assertSameBytes(byte[] actual, byte[] expected) {
        // Comparing directly would dump megabytes into the failure message.
        assertThat(actual.length).as("length").isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("first differing byte").isEqualTo(-1);
    }
}
