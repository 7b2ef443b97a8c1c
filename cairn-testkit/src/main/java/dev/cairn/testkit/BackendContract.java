package dev.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.Id;
import dev.cairn.format.crypto.Hpke;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.format.snapshot.SnapshotFile;
import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of the {@link Backend} contract, as tests every backend must pass. Subclass it and
 * implement {@link #newBackend()}; each test gets a fresh, empty backend and closes it afterwards.
 *
 * <p>Every file the suite stores is one a real repository could hold, so that the suite also runs
 * against a Cairn server, which enforces what plain storage does not. Packs, index files,
 * snapshots, deletion marks and policy files are content-addressed: each is named by the
 * lowercase hex SHA-256 of its bytes, and a server refuses one whose bytes do not hash to its
 * name. A snapshot must moreover be a genuine snapshot file whose envelope names only packs the
 * repository holds, since the server reads the envelope to know which packs to keep. Key slots
 * and lock files have random names that the server does not check, and the config file is
 * always {@code config}; only these can receive two different files under one name, so the tests
 * where puts of differing files meet on one name use them.
 *
 * <p>Where two puts of one handle compete with different payloads, the payloads differ in length.
 * A backend that retries may recognise its own earlier, landed upload by the file's size (sound
 * for content-addressed files, whose name fixes their bytes), and these tests must not mistake
 * that for an overwrite.
 */
public abstract class BackendContract {
    private static final int MIB = 1024 * 1024;
    private static final int THREADS = 8;
    private static final long TIMEOUT_SECONDS = 120;

    private static final Set<FileKind> CONTENT_ADDRESSED = EnumSet.of(
            FileKind.PACK, FileKind.INDEX, FileKind.SNAPSHOT, FileKind.MARK, FileKind.POLICY);
    private static final Set<FileKind> RANDOMLY_NAMED = EnumSet.of(FileKind.KEY, FileKind.LOCK);

    /** The repository's public key, which snapshots are sealed to; nothing here opens them. */
    private static final byte[] PUBLIC_KEY = Hpke.generateKeyPair()[1];
    /** The longest path a snapshot file may hold. */
    private static final int MAX_PATH = 1 << 16;

    private Backend backend;

    /** A new, empty backend; it is closed after the test. */
    protected abstract Backend newBackend() throws Exception;

    /** The backend under test, for extra tests in subclasses. */
    protected final Backend backend() {
        return backend;
    }

    /**
     * Whether the backend under test may answer a put whose file already exists with the
     * payload's size by succeeding instead of refusing. A backend that retries does so after a
     * transient failure, taking the file for its own earlier attempt that landed although its
     * answer was lost; a subclass that injects such failures says so here. Only the repeated put
     * of a content-addressed file's own bytes is then let through: a put of a different file under
     * a taken name must be refused regardless.
     */
    protected boolean repeatedPutMaySucceed() {
        return false;
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
        byte[] bytes = content(kind, 1000 + kind.ordinal(), kind.ordinal());
        Handle handle = handle(kind, bytes);

        backend.put(handle, Payload.of(bytes));

        assertSameBytes(backend.readAll(handle), bytes);
        assertThat(backend.stat(handle)).isEqualTo(new FileInfo(handle, bytes.length));
    }

    @Test
    void put_emptyFile_roundtrips() throws IOException {
        Handle handle = handle(FileKind.PACK, new byte[0]);

        backend.put(handle, Payload.of(new byte[0]));

        assertThat(backend.readAll(handle)).isEmpty();
        assertThat(backend.stat(handle).size()).isZero();
        assertThat(backend.list(FileKind.PACK)).containsExactly(new FileInfo(handle, 0));
    }

    @Test
    void put_largeFile_roundtrips() throws IOException {
        byte[] bytes = bytes(17 * MIB, 1);
        Handle handle = handle(FileKind.PACK, bytes);

        backend.put(handle, Payload.of(bytes));

        assertSameBytes(backend.readAll(handle), bytes);
        assertThat(backend.stat(handle).size()).isEqualTo(bytes.length);
        long straddling = 16L * MIB - 1000;
        assertSameBytes(backend.readRange(handle, straddling, 5000),
                Arrays.copyOfRange(bytes, (int) straddling, (int) straddling + 5000));
    }

    @Test
    void put_storesCopyOfPayloadBytes() throws IOException {
        byte[] bytes = bytes(100, 1);
        byte[] original = bytes.clone();
        Handle handle = handle(FileKind.PACK, bytes);

        backend.put(handle, Payload.of(bytes));
        Arrays.fill(bytes, (byte) 0);

        assertSameBytes(backend.readAll(handle), original);
    }

    @Test
    void put_failingPayload_storesNothing() throws IOException {
        byte[] bytes = bytes(10_000, 2);
        Handle handle = handle(FileKind.PACK, bytes);
        Payload failing = failingPayload(10_000, 4000);

        assertThatThrownBy(() -> backend.put(handle, failing)).isInstanceOf(IOException.class);

        assertThat(backend.exists(handle)).isFalse();
        assertThat(backend.list(FileKind.PACK)).isEmpty();
        backend.put(handle, Payload.of(bytes));
        assertSameBytes(backend.readAll(handle), bytes);
    }

    @ParameterizedTest
    @MethodSource("randomlyNamedKinds")
    void put_refusesOverwrite(FileKind kind) throws IOException {
        Handle handle = randomName(kind, 1);
        byte[] original = bytes(1000, 1);
        backend.put(handle, Payload.of(original));

        assertThatThrownBy(() -> backend.put(handle, Payload.of(bytes(2000, 2))))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertSameBytes(backend.readAll(handle), original);
        assertThat(backend.list(kind)).containsExactly(new FileInfo(handle, 1000));
    }

    @ParameterizedTest
    @MethodSource("contentAddressedKinds")
    void put_sameContentAgain_isRefused(FileKind kind) throws IOException {
        // The one second put a content-addressed name can get: the same bytes again, as when two
        // clients upload the same pack.
        byte[] bytes = content(kind, 1000, 1);
        Handle handle = handle(kind, bytes);
        backend.put(handle, Payload.of(bytes));

        if (repeatedPutMaySucceed()) {
            try {
                backend.put(handle, Payload.of(bytes.clone()));
            } catch (FileAlreadyExistsException refused) {
                // Refusing is right too.
            }
        } else {
            assertThatThrownBy(() -> backend.put(handle, Payload.of(bytes.clone())))
                    .isInstanceOf(FileAlreadyExistsException.class);
        }

        assertSameBytes(backend.readAll(handle), bytes);
        assertThat(backend.list(kind)).containsExactly(new FileInfo(handle, bytes.length));
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
        Handle handle = randomName(FileKind.LOCK, 1);
        backend.put(handle, Payload.of(bytes(10, 1)));
        backend.delete(handle);
        byte[] replacement = bytes(20, 2);

        backend.put(handle, Payload.of(replacement));

        assertSameBytes(backend.readAll(handle), replacement);
    }

    @Test
    void put_snapshotAfterItsPacks_succeeds() throws IOException {
        // The order a backup writes in: packs first, then the snapshot whose envelope names
        // them. A server checks at this put that the named packs are there.
        List<Id> packs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Handle pack = store(FileKind.PACK, bytes(5000 + i, i)).handle();
            packs.add(Id.parse(pack.name()));
        }
        byte[] bytes = snapshotFile(1000, 3, packs);
        Handle handle = handle(FileKind.SNAPSHOT, bytes);

        backend.put(handle, Payload.of(bytes));

        byte[] read = backend.readAll(handle);
        assertSameBytes(read, bytes);
        assertThat(SnapshotFile.envelope(read, handle.toString()).packs())
                .containsExactlyInAnyOrderElementsOf(packs);
        assertThat(backend.list(FileKind.SNAPSHOT)).containsExactly(new FileInfo(handle, bytes.length));
        assertThat(backend.list(FileKind.PACK)).hasSize(packs.size());
    }

    // --- ranged reads ---------------------------------------------------------------------

    @Test
    void read_rangeAtStart_returnsThoseBytes() throws IOException {
        byte[] bytes = bytes(10_000, 1);
        Handle handle = storedPack(bytes);

        assertSameBytes(backend.readRange(handle, 0, 100), Arrays.copyOfRange(bytes, 0, 100));
    }

    @Test
    void read_rangeInMiddle_returnsThoseBytes() throws IOException {
        byte[] bytes = bytes(10_000, 1);
        Handle handle = storedPack(bytes);

        assertSameBytes(backend.readRange(handle, 4000, 1234), Arrays.copyOfRange(bytes, 4000, 5234));
    }

    @Test
    void read_rangeAtEnd_returnsThoseBytes() throws IOException {
        byte[] bytes = bytes(10_000, 1);
        Handle handle = storedPack(bytes);

        assertSameBytes(backend.readRange(handle, 9900, 100), Arrays.copyOfRange(bytes, 9900, 10_000));
    }

    @Test
    void read_lengthZero_readsToEnd() throws IOException {
        byte[] bytes = bytes(10_000, 1);
        Handle handle = storedPack(bytes);

        assertSameBytes(backend.readRange(handle, 4000, 0), Arrays.copyOfRange(bytes, 4000, 10_000));
    }

    @Test
    void read_rangePastEnd_fails() throws IOException {
        Handle handle = storedPack(bytes(10_000, 1));

        assertPermanentFailureNaming(handle, () -> drain(handle, 9900, 101));
    }

    @Test
    void read_offsetPastEnd_fails() throws IOException {
        Handle handle = storedPack(bytes(10_000, 1));

        assertPermanentFailureNaming(handle, () -> drain(handle, 10_001, 0));
    }

    @Test
    void read_consumerException_propagates() throws IOException {
        Handle handle = storedPack(bytes(100, 1));
        IOException failure = new IOException("consumer gave up");

        assertThatThrownBy(() -> backend.read(handle, 0, 0, in -> {
            throw failure;
        })).isSameAs(failure);
    }

    // --- missing files ----------------------------------------------------------------------

    @Test
    void read_missingFile_throwsNoSuchFile() {
        Handle missing = handle(FileKind.PACK, bytes(100, 1));

        assertThatThrownBy(() -> drain(missing, 0, 0)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void stat_missingFile_throwsNoSuchFile() {
        Handle missing = handle(FileKind.PACK, bytes(100, 1));

        assertThatThrownBy(() -> backend.stat(missing)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void delete_missingFile_throwsNoSuchFile() {
        Handle missing = handle(FileKind.PACK, bytes(100, 1));

        assertThatThrownBy(() -> backend.delete(missing)).isInstanceOf(NoSuchFileException.class);
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
        List<FileInfo> stored = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            // A snapshot file can be no smaller than its header and envelope, nor sized to the
            // byte, so snapshots come only near these sizes; index files hit them exactly.
            stored.add(store(FileKind.SNAPSHOT, snapshotFile(sizes[i], i, List.of())));
            stored.add(store(FileKind.INDEX, bytes(sizes[i], i)));
        }

        for (FileInfo info : stored) {
            assertThat(backend.stat(info.handle())).isEqualTo(info);
        }
    }

    @Test
    void exists_reflectsPresence() throws IOException {
        byte[] bytes = bytes(10, 1);
        Handle handle = handle(FileKind.INDEX, bytes);
        assertThat(backend.exists(handle)).isFalse();

        backend.put(handle, Payload.of(bytes));
        assertThat(backend.exists(handle)).isTrue();
        assertThat(backend.exists(handle(FileKind.INDEX, bytes(10, 2)))).isFalse();

        backend.delete(handle);
        assertThat(backend.exists(handle)).isFalse();
    }

    @Test
    void readAll_returnsWholeFile() throws IOException {
        byte[] bytes = bytes(5000, 1);
        Handle handle = storedPack(bytes);

        assertSameBytes(backend.readAll(handle), bytes);
    }

    // --- list -------------------------------------------------------------------------------

    @Test
    void list_returnsOnlyThatKind() throws IOException {
        List<FileInfo> all = new ArrayList<>();
        for (FileKind kind : FileKind.values()) {
            int copies = kind == FileKind.CONFIG ? 1 : 3;
            for (int i = 0; i < copies; i++) {
                all.add(store(kind, content(kind, 10 * kind.ordinal() + i, i)));
            }
        }

        for (FileKind kind : FileKind.values()) {
            assertThat(backend.list(kind)).as("%s", kind).containsExactlyInAnyOrderElementsOf(
                    all.stream().filter(info -> info.handle().kind() == kind).toList());
        }
    }

    @Test
    void list_returnsEachFileOnce() throws IOException {
        // Sizes all differ so that no two of these content-addressed files share a name, as
        // two empty ones would.
        Set<FileInfo> expected = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            expected.add(store(FileKind.PACK, bytes(i, i)));
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
                store(kind, content(kind, 10, 1));
            }
        }

        assertThat(backend.list(empty)).isEmpty();
    }

    // --- delete -----------------------------------------------------------------------------

    @Test
    void delete_thenReadFails() throws IOException {
        Handle handle = storedPack(bytes(100, 1));
        FileInfo other = store(FileKind.PACK, bytes(50, 2));

        backend.delete(handle);

        assertThatThrownBy(() -> drain(handle, 0, 0)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> backend.stat(handle)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> backend.delete(handle)).isInstanceOf(NoSuchFileException.class);
        assertThat(backend.list(FileKind.PACK)).containsExactly(new FileInfo(other.handle(), 50));
    }

    // --- concurrency ------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("randomlyNamedKinds")
    void put_racingSameHandle_exactlyOneWins(FileKind kind) throws Exception {
        for (int round = 0; round < 10; round++) {
            Handle handle = randomName(kind, round);
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
                    store(FileKind.PACK, bytes(1000 + i, i));
                }
                return null;
            });
        }

        runConcurrently(tasks);

        int total = THREADS * perThread;
        assertThat(backend.list(FileKind.PACK)).hasSize(total);
        for (int i = 0; i < total; i++) {
            byte[] bytes = bytes(1000 + i, i);
            assertSameBytes(backend.readAll(handle(FileKind.PACK, bytes)), bytes);
        }
    }

    @Test
    void location_isDescribed() {
        assertThat(backend.location()).isNotBlank();
    }

    // --- helpers ----------------------------------------------------------------------------

    static Stream<FileKind> contentAddressedKinds() {
        return CONTENT_ADDRESSED.stream();
    }

    static Stream<FileKind> randomlyNamedKinds() {
        return RANDOMLY_NAMED.stream();
    }

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

    /** Stores {@code content} as a file of {@code kind} under the name a repository gives it. */
    private FileInfo store(FileKind kind, byte[] content) throws IOException {
        Handle handle = handle(kind, content);
        backend.put(handle, Payload.of(content));
        return new FileInfo(handle, content.length);
    }

    private Handle storedPack(byte[] bytes) throws IOException {
        return store(FileKind.PACK, bytes).handle();
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

    /** The handle a repository gives {@code content} as a file of {@code kind}. */
    private static Handle handle(FileKind kind, byte[] content) {
        if (kind == FileKind.CONFIG) {
            return Handle.config();
        }
        if (CONTENT_ADDRESSED.contains(kind)) {
            return Handle.of(kind, Id.sha256(content, 0, content.length).hex());
        }
        // Seeding the random name with the content keeps different files under different names.
        return randomName(kind, Arrays.hashCode(content));
    }

    /** A key slot's or lock file's name: random-looking, derived from {@code seed}. */
    private static Handle randomName(FileKind kind, int seed) {
        if (!RANDOMLY_NAMED.contains(kind)) {
            throw new IllegalArgumentException(kind + " files are not named at random");
        }
        Random random = new Random(seed * 31L + kind.ordinal());
        StringBuilder name = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            name.append(Character.forDigit(random.nextInt(16), 16));
        }
        return Handle.of(kind, name.toString());
    }

    /**
     * Contents for a file of {@code kind}: {@code size} random bytes, except that a snapshot is a
     * genuine snapshot file naming no packs, of about that size.
     */
    private static byte[] content(FileKind kind, int size, long seed) {
        return kind == FileKind.SNAPSHOT ? snapshotFile(size, seed, List.of()) : bytes(size, seed);
    }

    /**
     * A genuine snapshot file whose envelope names {@code packs}, at least {@code size} bytes long
     * and at most a few more (unless the smallest snapshot is longer). Its size is set through
     * the backed-up paths, the one part of a snapshot that can be made arbitrarily long. Sealing
     * is randomised, so each call gives different bytes.
     */
    private static byte[] snapshotFile(int size, long seed, List<Id> packs) {
        int missing = size - snapshotFile(seed, packs, List.of()).length;
        List<byte[]> padding = new ArrayList<>();
        for (int left = missing; left > 0; left -= MAX_PATH) {
            byte[] path = new byte[Math.min(left, MAX_PATH)];
            Arrays.fill(path, (byte) 'p');
            path[0] = '/';
            padding.add(path);
        }
        return snapshotFile(seed, packs, padding);
    }

    private static byte[] snapshotFile(long seed, List<Id> packs, List<byte[]> padding) {
        long start = 1_700_000_000_000L + seed;
        String host = "host-" + seed;
        Id group = Id.of(bytes(Id.LENGTH, seed));
        Envelope envelope = new Envelope(start, host, group, BackupMode.FULL, packs.stream().sorted().toList());
        List<byte[]> paths = new ArrayList<>();
        paths.add("/home".getBytes(StandardCharsets.UTF_8));
        paths.addAll(padding);
        Snapshot snapshot = new Snapshot(Id.of(bytes(Id.LENGTH, ~seed)), paths, host, "user", List.of(),
                null, start + 1000, Snapshot.Summary.EMPTY, List.of(), List.of());
        return SnapshotFile.encode(envelope, snapshot, PUBLIC_KEY);
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
