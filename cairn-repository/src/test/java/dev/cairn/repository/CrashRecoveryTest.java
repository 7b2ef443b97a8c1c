package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobType;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.fault.FaultyBackend;
import dev.cairn.storage.fault.FaultyBackend.Op;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backup killed after uploading packs but before writing their index leaves orphan packs; the
 * next session adopts them and deduplicates against them.
 */
class CrashRecoveryTest {
    private static final FakeClock CLOCK = Fixtures.clock();
    private static final Map<Id, byte[]> saved = new LinkedHashMap<>();
    private static MemoryBackend afterCrash;

    private final FakeClock clock = CLOCK;
    private MemoryBackend inner;

    @BeforeAll
    static void interruptedBackup() throws Exception {
        MemoryBackend backend = new MemoryBackend();
        FaultyBackend dying = new FaultyBackend(backend);
        try (Repository repo = Fixtures.init(dying, CLOCK)) {
            dying.failWhen(c -> c.op() == Op.PUT && c.kind() == FileKind.INDEX,
                    () -> new IOException("injected: killed before the index was written"));
            try (BlobSaver saver = repo.newBlobSaver(1, Fixtures.LEVEL)) {
                // 20 MiB: one full pack uploaded while saving, one more at flush.
                for (int i = 0; i < 20; i++) {
                    byte[] data = Fixtures.random(i, 1 << 20);
                    saved.put(Fixtures.saveData(saver, repo, data), data);
                }
                byte[] small = Fixtures.random(99, 3000);
                saved.put(Fixtures.saveData(saver, repo, small), small);
                assertThatThrownBy(saver::flush).hasMessageContaining("killed");
            }
        }
        assertThat(backend.list(FileKind.PACK)).hasSize(2);
        assertThat(backend.list(FileKind.INDEX)).isEmpty();
        afterCrash = backend;
    }

    @BeforeEach
    void freshCopy() throws Exception {
        inner = Fixtures.copy(afterCrash);
    }

    @Test
    void indexOrphanPacks_afterInterruptedBackup_adoptsEveryPack() throws Exception {
        try (Repository repo = Fixtures.open(inner, clock)) {
            repo.loadIndex();
            assertThat(repo.index().blobCount()).isZero();

            assertThat(repo.indexOrphanPacks()).isEqualTo(2);

            assertThat(repo.index().packs().keySet())
                    .containsExactlyInAnyOrderElementsOf(Fixtures.names(inner, FileKind.PACK));
            assertThat(inner.list(FileKind.INDEX)).hasSize(1);
            for (Map.Entry<Id, byte[]> e : saved.entrySet()) {
                assertThat(repo.loadBlob(e.getKey())).isEqualTo(e.getValue());
            }
            assertThat(repo.indexOrphanPacks()).isZero();
        }
        // The adoption is durable: a later session finds the blobs through the index alone.
        try (Repository repo = Fixtures.open(inner, clock)) {
            repo.loadIndex();
            assertThat(repo.index().blobCount()).isEqualTo(saved.size());
            assertThat(repo.indexOrphanPacks()).isZero();
        }
    }

    @Test
    void blobSaver_afterAdoption_dedupsAgainstOrphanedBlobs() throws Exception {
        FaultyBackend counting = new FaultyBackend(inner);
        List<FileKind> puts = new ArrayList<>();
        counting.failWhen(c -> {
            if (c.op() == Op.PUT) {
                synchronized (puts) {
                    puts.add(c.kind());
                }
            }
            return false;
        }, IOException::new);

        try (Repository repo = Fixtures.open(counting, clock)) {
            repo.loadIndex();
            repo.indexOrphanPacks();
            try (BlobSaver saver = repo.newBlobSaver(2, Fixtures.LEVEL)) {
                for (Map.Entry<Id, byte[]> e : saved.entrySet()) {
                    assertThat(saver.save(BlobType.DATA, e.getKey(), e.getValue(), 0, e.getValue().length)).isFalse();
                }
                saver.flush();
                assertThat(saver.blobsAdded()).isZero();
            }
        }

        assertThat(puts).containsExactly(FileKind.INDEX); // the adopting index only; no new pack
        assertThat(inner.list(FileKind.PACK)).hasSize(2);
    }

    @Test
    void indexOrphanPacks_truncatedOrphan_skipsItAndAdoptsTheRest() throws Exception {
        List<Id> packs = Fixtures.names(inner, FileKind.PACK);
        Id damaged = packs.get(0);
        long size = inner.stat(Fixtures.pack(damaged)).size();
        Fixtures.rewrite(inner, Fixtures.pack(damaged), Fixtures.truncate((int) size / 2));

        try (Repository repo = Fixtures.open(inner, clock)) {
            repo.loadIndex();

            assertThat(repo.indexOrphanPacks()).isEqualTo(1);

            assertThat(repo.index().hasPack(damaged)).isFalse();
            assertThat(repo.index().hasPack(packs.get(1))).isTrue();
            // Left in place for check to report.
            assertThat(inner.exists(Fixtures.pack(damaged))).isTrue();
        }
    }

    @Test
    void indexOrphanPacks_orphansShorterThanAnyPack_skipsThem() throws Exception {
        List<Id> packs = Fixtures.names(inner, FileKind.PACK);
        Fixtures.rewrite(inner, Fixtures.pack(packs.get(0)), Fixtures.truncate(10));
        Fixtures.rewrite(inner, Fixtures.pack(packs.get(1)), Fixtures.truncate(0));

        try (Repository repo = Fixtures.open(inner, clock)) {
            repo.loadIndex();

            assertThat(repo.indexOrphanPacks()).isZero();

            assertThat(inner.list(FileKind.INDEX)).isEmpty();
        }
    }

    @Test
    void indexOrphanPacks_orphanWithCutOffTail_skipsIt() throws Exception {
        List<Id> packs = Fixtures.names(inner, FileKind.PACK);
        for (Id p : packs) {
            long size = inner.stat(Fixtures.pack(p)).size();
            Fixtures.rewrite(inner, Fixtures.pack(p), Fixtures.truncate((int) size - 1));
        }

        try (Repository repo = Fixtures.open(inner, clock)) {
            repo.loadIndex();

            assertThat(repo.indexOrphanPacks()).isZero();
        }
    }
}
