package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.Id;
import dev.cairn.format.index.IndexFile;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.pack.PackWriter;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.fault.FaultyBackend;
import dev.cairn.storage.fault.FaultyBackend.Call;
import dev.cairn.storage.fault.FaultyBackend.Op;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlobSaverTest {
    private static final int MIB = 1 << 20;

    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend inner = new MemoryBackend();
    private final FaultyBackend backend = new FaultyBackend(inner);
    private final List<Call> puts = Collections.synchronizedList(new ArrayList<>());
    private Repository repo;

    @BeforeEach
    void setUp() throws Exception {
        repo = Fixtures.init(backend, clock);
        // Records every put, in order, without failing any.
        backend.failWhen(c -> {
            if (c.op() == Op.PUT) {
                puts.add(c);
            }
            return false;
        }, IOException::new);
        puts.clear();
    }

    @AfterEach
    void tearDown() throws Exception {
        repo.close();
    }

    private long putsOf(FileKind kind) {
        synchronized (puts) {
            return puts.stream().filter(c -> c.kind() == kind).count();
        }
    }

    private IndexFile readIndex(Id name) throws IOException {
        return repo.readIndexFile(dev.cairn.storage.Handle.of(FileKind.INDEX, name.hex()));
    }

    /** Every pack any stored index file names, checked to exist in the inner backend. */
    private Set<Id> assertIndexesNameOnlyStoredPacks() throws IOException {
        Set<Id> stored = new HashSet<>(Fixtures.names(inner, FileKind.PACK));
        Set<Id> named = new HashSet<>();
        for (Id index : Fixtures.names(inner, FileKind.INDEX)) {
            for (IndexFile.PackEntry p : readIndex(index).packs()) {
                assertThat(stored).as("pack named by index %s", index.shortHex()).contains(p.pack());
                assertThat(inner.stat(Fixtures.pack(p.pack())).size()).isEqualTo(p.size());
                named.add(p.pack());
            }
        }
        return named;
    }

    @Test
    void save_sameIdTwiceInOneRun_storesItOnce() throws Exception {
        byte[] data = Fixtures.random(1, 10_000);
        Id id = repo.blobIds().of(data);
        try (BlobSaver saver = repo.newBlobSaver(2, Fixtures.LEVEL)) {
            assertThat(saver.save(BlobType.DATA, id, data, 0, data.length)).isTrue();
            assertThat(saver.known(id)).isTrue();
            assertThat(saver.save(BlobType.DATA, id, data, 0, data.length)).isFalse();
            saver.flush();
            assertThat(saver.save(BlobType.DATA, id, data, 0, data.length)).isFalse();
            saver.flush();
            assertThat(saver.blobsAdded()).isEqualTo(1);
        }

        assertThat(putsOf(FileKind.PACK)).isEqualTo(1);
        assertThat(putsOf(FileKind.INDEX)).isEqualTo(1);
        Id index = Fixtures.names(inner, FileKind.INDEX).get(0);
        assertThat(readIndex(index).packs()).singleElement()
                .satisfies(p -> assertThat(p.blobs()).extracting(b -> b.id()).containsExactly(id));
        assertThat(repo.loadBlob(id)).isEqualTo(data);
    }

    @Test
    void save_sliceOfReusedBuffer_storesTheSliceAsItWasWhenSaved() throws Exception {
        byte[] buf = Fixtures.random(2, 30_000);
        byte[] expected = java.util.Arrays.copyOfRange(buf, 1000, 21_000);
        Id id = repo.blobIds().of(expected);
        try (BlobSaver saver = repo.newBlobSaver(1, Fixtures.LEVEL)) {
            saver.save(BlobType.DATA, id, buf, 1000, 20_000);
            java.util.Arrays.fill(buf, (byte) 0);
            saver.flush();
        }

        assertThat(repo.loadBlob(id)).isEqualTo(expected);
    }

    @Test
    void save_sameIdInLaterRunAfterLoadIndex_storesNothingNew() throws Exception {
        byte[] data = Fixtures.random(3, 50_000);
        Id id;
        try (BlobSaver saver = repo.newBlobSaver(1, Fixtures.LEVEL)) {
            id = Fixtures.saveData(saver, repo, data);
            saver.flush();
        }
        puts.clear();

        try (Repository again = Fixtures.open(backend, clock)) {
            again.loadIndex();
            try (BlobSaver saver = again.newBlobSaver(1, Fixtures.LEVEL)) {
                assertThat(saver.known(id)).isTrue();
                assertThat(saver.save(BlobType.DATA, id, data, 0, data.length)).isFalse();
                saver.flush();
                assertThat(saver.blobsAdded()).isZero();
                assertThat(saver.bytesAdded()).isZero();
            }
            assertThat(again.loadBlob(id)).isEqualTo(data);
        }
        assertThat(puts).isEmpty();
        assertThat(inner.list(FileKind.PACK)).hasSize(1);
    }

    @Test
    void flush_nothingSaved_writesNothing() throws Exception {
        try (BlobSaver saver = repo.newBlobSaver(2, Fixtures.LEVEL)) {
            saver.flush();
        }
        assertThat(puts).isEmpty();
    }

    @Test
    void save_manyLargeBlobs_fillsPacksOfTargetSizeAndAllReadBack() throws Exception {
        Map<Id, byte[]> blobs = new LinkedHashMap<>();
        try (BlobSaver saver = repo.newBlobSaver(2, Fixtures.LEVEL)) {
            for (int i = 0; i < 40; i++) {
                byte[] data = Fixtures.random(100 + i, MIB);
                blobs.put(Fixtures.saveData(saver, repo, data), data);
            }
            saver.flush();

            List<FileInfo> packs = inner.list(FileKind.PACK);
            assertThat(packs).hasSizeGreaterThanOrEqualTo(2);
            long full = packs.stream().filter(p -> p.size() >= PackWriter.TARGET_SIZE).count();
            assertThat(full).isGreaterThanOrEqualTo(1);
            // A pack closes as soon as it reaches the target: it overshoots by less than one blob.
            assertThat(packs).allSatisfy(p -> assertThat(p.size()).isLessThan(PackWriter.TARGET_SIZE + MIB + 1024));
            assertThat(saver.blobsAdded()).isEqualTo(40);
            assertThat(saver.bytesAdded()).isEqualTo(packs.stream().mapToLong(FileInfo::size).sum());
        }

        assertThat(repo.index().blobCount()).isEqualTo(40);
        assertThat(assertIndexesNameOnlyStoredPacks()).containsExactlyInAnyOrderElementsOf(
                Fixtures.names(inner, FileKind.PACK));
        for (Map.Entry<Id, byte[]> e : blobs.entrySet()) {
            assertThat(repo.index().contains(e.getKey())).isTrue();
            assertThat(repo.loadBlob(e.getKey())).isEqualTo(e.getValue());
        }
        // What the saver indexed is what a fresh reader of the index files finds.
        try (Repository again = Fixtures.open(inner, clock)) {
            again.loadIndex();
            assertThat(again.index().blobCount()).isEqualTo(40);
            Id some = blobs.keySet().iterator().next();
            assertThat(again.loadBlob(some)).isEqualTo(blobs.get(some));
        }
    }

    @Test
    void save_morePacksThanPacksPerIndex_writesIndexEveryPacksPerIndexPacksAndAtFlush() throws Exception {
        int blobSize = 4 * MIB;
        int blobsPerPack = PackWriter.TARGET_SIZE / blobSize; // the pack fills up on this blob
        int count = BlobSaver.PACKS_PER_INDEX * blobsPerPack + 1;
        List<Id> ids = new ArrayList<>();
        try (BlobSaver saver = repo.newBlobSaver(1, Fixtures.LEVEL)) {
            for (int i = 0; i < count; i++) {
                ids.add(Fixtures.saveData(saver, repo, Fixtures.random(1000 + i, blobSize)));
            }
            saver.flush();
        }

        List<FileKind> order;
        synchronized (puts) {
            order = puts.stream().map(Call::kind).toList();
        }
        List<FileKind> expected = new ArrayList<>(Collections.nCopies(BlobSaver.PACKS_PER_INDEX, FileKind.PACK));
        expected.add(FileKind.INDEX);
        expected.add(FileKind.PACK);
        expected.add(FileKind.INDEX);
        assertThat(order).containsExactlyElementsOf(expected);

        Id first = Id.parse(puts.get(BlobSaver.PACKS_PER_INDEX).handle().name());
        List<Id> firstPacks = puts.subList(0, BlobSaver.PACKS_PER_INDEX).stream()
                .map(c -> Id.parse(c.handle().name())).toList();
        assertThat(readIndex(first).packs()).extracting(IndexFile.PackEntry::pack)
                .containsExactlyInAnyOrderElementsOf(firstPacks);
        Id last = Id.parse(puts.get(puts.size() - 1).handle().name());
        assertThat(readIndex(last).packs()).extracting(IndexFile.PackEntry::pack)
                .containsExactly(Id.parse(puts.get(puts.size() - 2).handle().name()));
        assertThat(ids).allSatisfy(id -> assertThat(repo.index().contains(id)).isTrue());
        assertIndexesNameOnlyStoredPacks();
    }

    @Test
    void flush_packPutFailsPermanently_surfacesAndStoresNothing() throws Exception {
        backend.failWhen(c -> c.op() == Op.PUT && c.kind() == FileKind.PACK,
                () -> new IOException("injected: disk full"));

        try (BlobSaver saver = repo.newBlobSaver(2, Fixtures.LEVEL)) {
            for (int i = 0; i < 5; i++) {
                Fixtures.saveData(saver, repo, Fixtures.random(i, 10_000));
            }
            assertThatThrownBy(saver::flush).isInstanceOf(IOException.class).hasMessageContaining("injected: disk full");
        }

        assertThat(inner.list(FileKind.PACK)).isEmpty();
        assertThat(inner.list(FileKind.INDEX)).isEmpty();
        assertThat(repo.index().blobCount()).isZero();
    }

    @Test
    void save_packPutFailsMidway_surfacesAndNoIndexNamesAMissingPack() throws Exception {
        int blobSize = 4 * MIB;
        int blobsPerPack = PackWriter.TARGET_SIZE / blobSize;
        int failOn = BlobSaver.PACKS_PER_INDEX + 2; // after one index file and one unindexed pack
        AtomicInteger packPuts = new AtomicInteger();
        backend.failWhen(c -> c.op() == Op.PUT && c.kind() == FileKind.PACK && packPuts.incrementAndGet() >= failOn,
                () -> new IOException("injected: permission denied"));

        try (BlobSaver saver = repo.newBlobSaver(1, Fixtures.LEVEL)) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < (failOn + 2) * blobsPerPack; i++) {
                    Fixtures.saveData(saver, repo, Fixtures.random(5000 + i, blobSize));
                }
                saver.flush();
            }).isInstanceOf(IOException.class).hasMessageContaining("injected: permission denied");
            // The failure sticks: the saver refuses further work.
            assertThatThrownBy(() -> Fixtures.saveData(saver, repo, Fixtures.random(1, 100)))
                    .hasMessageContaining("injected: permission denied");
            assertThatThrownBy(saver::flush).hasMessageContaining("injected: permission denied");
        }

        assertThat(inner.list(FileKind.PACK)).hasSize(failOn - 1);
        Set<Id> named = assertIndexesNameOnlyStoredPacks();
        assertThat(named).hasSize(BlobSaver.PACKS_PER_INDEX);
        assertThat(repo.index().packs().keySet()).isEqualTo(named);
    }
}
