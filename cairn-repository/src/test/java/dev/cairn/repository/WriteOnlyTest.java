package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.format.Id;
import dev.cairn.format.crypto.KeySlot;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.pack.PackWriter;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Payload;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteOnlyTest {
    private static final char[] WRITER = "ci writer password".toCharArray();

    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend backend = new MemoryBackend();
    private Repository writer;

    // What the writer stored in setUp.
    private final byte[] chunk = Fixtures.random(1, 200_000);
    private Id chunkId;
    private Id treeId;
    private Id packId;
    private Id snapshotId;

    @BeforeEach
    void setUp() throws Exception {
        try (Repository full = Fixtures.init(backend, clock)) {
            full.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
        }
        writer = Repository.open(backend, WRITER, clock);
        assertThat(writer.canRead()).isFalse();
        try (BlobSaver saver = writer.newBlobSaver(1, Fixtures.LEVEL)) {
            chunkId = Fixtures.saveData(saver, writer, chunk);
            treeId = Fixtures.saveTree(saver, writer,
                    Tree.of(List.of(Fixtures.file("data.bin", chunk.length, List.of(chunkId)))));
            saver.flush();
        }
        packId = writer.index().lookup(chunkId).pack();
        snapshotId = Fixtures.saveSnapshot(writer, treeId, clock.millis(),
                Fixtures.packsOf(writer, List.of(chunkId, treeId)));
    }

    @AfterEach
    void tearDown() throws Exception {
        writer.close();
    }

    @Test
    void blobSaver_writeOnlyKey_storesPacksAndIndex() throws Exception {
        assertThat(backend.list(FileKind.PACK)).hasSize(1);
        assertThat(backend.list(FileKind.INDEX)).hasSize(1);
        assertThat(writer.index().contains(chunkId)).isTrue();
        assertThat(writer.index().contains(treeId)).isTrue();
        assertThat(writer.keys().privateKey()).isNull();
    }

    @Test
    void writeIndex_writeOnlyKey_isReadableByWriterAndFullKey() throws Exception {
        try (Repository other = Repository.open(backend, WRITER, clock)) {
            other.loadIndex();
            assertThat(other.index().lookup(chunkId)).isEqualTo(writer.index().lookup(chunkId));
            try (BlobSaver saver = other.newBlobSaver(1, Fixtures.LEVEL)) {
                assertThat(saver.known(chunkId)).isTrue();
                assertThat(saver.save(BlobType.DATA, chunkId, chunk, 0, chunk.length)).isFalse();
            }
        }
    }

    @Test
    void snapshots_writeOnlyKey_listsEnvelopesOnly() throws Exception {
        List<StoredSnapshot> all = writer.snapshots();

        assertThat(all).hasSize(1);
        StoredSnapshot s = all.get(0);
        assertThat(s.id()).isEqualTo(snapshotId);
        assertThat(s.snapshot()).isNull();
        Envelope env = s.envelope();
        assertThat(env.host()).isEqualTo(Fixtures.HOST);
        assertThat(env.timeMillis()).isEqualTo(clock.millis());
        assertThat(env.packs()).containsExactly(packId);
        assertThat(env.group()).isEqualTo(writer.groupId(Fixtures.HOST, List.of(Fixtures.utf8("/src"))));
    }

    @Test
    void loadBlob_writeOnlyKey_throwsWriteOnly() {
        assertThatThrownBy(() -> writer.loadBlob(chunkId))
                .isInstanceOf(RepositoryException.WriteOnly.class)
                .hasMessageContaining("write-only");
    }

    @Test
    void loadTree_writeOnlyKey_throwsWriteOnly() {
        assertThatThrownBy(() -> writer.loadTree(treeId)).isInstanceOf(RepositoryException.WriteOnly.class);
    }

    @Test
    void readBlob_writeOnlyKey_throwsWriteOnly() {
        BlobLocation loc = writer.index().lookup(chunkId);

        assertThatThrownBy(() -> writer.readBlob(loc)).isInstanceOf(RepositoryException.WriteOnly.class);
    }

    @Test
    void findSnapshot_writeOnlyKey_throwsWriteOnly() {
        assertThatThrownBy(() -> writer.findSnapshot("latest")).isInstanceOf(RepositoryException.WriteOnly.class);
        assertThatThrownBy(() -> writer.findSnapshot(snapshotId.hex()))
                .isInstanceOf(RepositoryException.WriteOnly.class);
    }

    @Test
    void dataKey_writeOnlyKeyGivenPackBytes_cannotDecrypt() throws Exception {
        byte[] packBytes = backend.readAll(Fixtures.pack(packId));
        BlobLocation loc = writer.index().lookup(chunkId);

        assertThatThrownBy(() -> writer.dataKey(packId)).isInstanceOf(RepositoryException.WriteOnly.class);
        assertThatThrownBy(() -> writer.openBlob(loc, packBytes, (int) loc.entry().offset()))
                .isInstanceOf(RepositoryException.WriteOnly.class);
        // The key material itself holds no private key to open the pack's sealed data key with.
        assertThat(writer.keys().privateKey()).isNull();
        assertThat(writer.keys().canRead()).isFalse();
    }

    @Test
    void fullKey_readsWhatWriterStored() throws Exception {
        try (Repository full = Fixtures.open(backend, clock)) {
            full.loadIndex();
            assertThat(full.loadBlob(chunkId)).isEqualTo(chunk);
            StoredSnapshot s = full.findSnapshot("latest");
            assertThat(s.id()).isEqualTo(snapshotId);
            assertThat(s.snapshot().tree()).isEqualTo(treeId);
            assertThat(full.loadTree(treeId).nodes()).singleElement()
                    .satisfies(n -> assertThat(n.content()).containsExactly(chunkId));
        }
    }

    @Test
    void indexOrphanPacks_writeOnlyKey_adoptsWithIndexKeyOnly() throws Exception {
        try (Repository full = Fixtures.open(backend, clock)) {
            PackWriter w = new PackWriter(full.keys().publicKey(), full.keys().indexKey(), Fixtures.LEVEL);
            byte[] data = Fixtures.random(2, 5000);
            Id id = full.blobIds().of(data);
            w.add(BlobType.DATA, id, data, 0, data.length);
            var p = w.finish();
            backend.put(Fixtures.pack(p.id()), Payload.of(p.bytes()));

            try (Repository other = Repository.open(backend, WRITER, clock)) {
                other.loadIndex();
                assertThat(other.indexOrphanPacks()).isEqualTo(1);
                assertThat(other.index().lookup(id).pack()).isEqualTo(p.id());
            }
        }
    }
}
