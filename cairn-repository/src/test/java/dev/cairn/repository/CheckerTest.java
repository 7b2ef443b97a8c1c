package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.format.Id;
import dev.cairn.format.crypto.KeySlot;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.pack.Pack;
import dev.cairn.format.pack.PackWriter;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.fault.FaultyBackend;
import dev.cairn.storage.fault.FaultyBackend.Op;
import dev.cairn.storage.local.LocalBackend;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckerTest {
    private static final char[] WRITER = "ci writer password".toCharArray();

    private final FakeClock clock = Fixtures.clock();
    private final MemoryBackend memory = new MemoryBackend();
    private final List<String> progress = new ArrayList<>();

    // The repository built by build(): three packs, each from its own saver.
    private Id packA; // a.txt and sub/c.txt
    private Id packB; // b.txt
    private Id packT; // the trees
    private Id a1;
    private Id root1;
    private Id snap1; // /a.txt, /b.txt, /sub/c.txt
    private Id snap2; // /b.txt only

    /**
     * Builds a clean repository with two snapshots. Data of a.txt and sub/c.txt, of b.txt, and
     * the trees each go through their own saver, so each lands in a pack of its own.
     */
    private void build(Backend backend) throws IOException {
        try (Repository repo = Fixtures.init(backend, clock)) {
            List<Id> aChunks = new ArrayList<>();
            Id c1;
            try (BlobSaver s = repo.newBlobSaver(1, Fixtures.LEVEL)) {
                a1 = Fixtures.saveData(s, repo, Fixtures.random(1, 100_000));
                aChunks.add(a1);
                aChunks.add(Fixtures.saveData(s, repo, Fixtures.random(2, 50_000)));
                c1 = Fixtures.saveData(s, repo, Fixtures.random(3, 30_000));
                s.flush();
            }
            Id b1;
            try (BlobSaver s = repo.newBlobSaver(1, Fixtures.LEVEL)) {
                b1 = Fixtures.saveData(s, repo, Fixtures.random(4, 80_000));
                s.flush();
            }
            Id sub;
            Id root2;
            try (BlobSaver s = repo.newBlobSaver(1, Fixtures.LEVEL)) {
                sub = Fixtures.saveTree(s, repo, Tree.of(List.of(Fixtures.file("c.txt", 30_000, List.of(c1)))));
                root1 = Fixtures.saveTree(s, repo, Tree.of(List.of(
                        Fixtures.file("b.txt", 80_000, List.of(b1)),
                        Fixtures.file("a.txt", 150_000, aChunks),
                        Fixtures.dir("sub", sub))));
                root2 = Fixtures.saveTree(s, repo, Tree.of(List.of(Fixtures.file("b.txt", 80_000, List.of(b1)))));
                s.flush();
            }
            packA = repo.index().lookup(a1).pack();
            packB = repo.index().lookup(b1).pack();
            packT = repo.index().lookup(root1).pack();
            assertThat(repo.index().packs()).hasSize(3);
            assertThat(repo.index().lookup(c1).pack()).isEqualTo(packA);

            snap1 = Fixtures.saveSnapshot(repo, root1, clock.millis(),
                    Fixtures.packsOf(repo, List.of(a1, aChunks.get(1), c1, b1, sub, root1)));
            clock.advance(Duration.ofHours(1));
            snap2 = Fixtures.saveSnapshot(repo, root2, clock.millis(), Fixtures.packsOf(repo, List.of(b1, root2)));
        }
    }

    private CheckReport check(Backend backend, boolean readData) throws IOException {
        try (Repository repo = Fixtures.open(backend, clock)) {
            return new Checker(repo, progress::add).check(readData);
        }
    }

    private static List<String> subjects(CheckReport r) {
        return r.problems().stream().map(CheckReport.Problem::subject).toList();
    }

    private static long totalSize(Backend backend, FileKind kind) throws IOException {
        return backend.list(kind).stream().mapToLong(FileInfo::size).sum();
    }

    private static String data(Id pack) {
        return "data/" + pack.hex();
    }

    @Test
    void check_cleanRepository_isOk() throws Exception {
        build(memory);

        CheckReport r = check(memory, false);

        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.snapshots()).isEqualTo(2);
        assertThat(r.packs()).isEqualTo(3);
        assertThat(r.orphanPacks()).isZero();
        assertThat(r.packsRead()).isZero();
        assertThat(r.bytesRead()).isZero();
        assertThat(r.affectedFiles()).isEmpty();
        assertThat(progress).isNotEmpty();
    }

    @Test
    void check_cleanRepositoryReadingData_isOkAndReadsEveryPack() throws Exception {
        build(memory);

        CheckReport r = check(memory, true);

        assertThat(r.problems()).isEmpty();
        assertThat(r.packsRead()).isEqualTo(3);
        assertThat(r.bytesRead()).isPositive().isEqualTo(totalSize(memory, FileKind.PACK));
    }

    @Test
    void check_missingPack_namesItAndTheFilesItHeld() throws Exception {
        build(memory);
        memory.delete(Fixtures.pack(packB));

        CheckReport r = check(memory, false);

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.subject()).isEqualTo(data(packB));
            assertThat(p.message()).contains("missing");
        });
        assertThat(r.packs()).isEqualTo(2);
        assertThat(r.affectedFiles()).containsOnlyKeys(snap1.hex(), snap2.hex());
        assertThat(r.affectedFiles().get(snap1.hex())).containsExactly("/b.txt");
        assertThat(r.affectedFiles().get(snap2.hex())).containsExactly("/b.txt");
    }

    @Test
    void check_missingPack_isOneErrorWithoutDanglingNote() throws Exception {
        build(memory);
        memory.delete(Fixtures.pack(packB));

        CheckReport r = check(memory, false);

        assertThat(subjects(r)).containsOnlyOnce(data(packB));
        assertThat(r.danglingPacks()).isZero();
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void check_packNoSnapshotNeedsIsGone_isInformationNotError() throws Exception {
        build(memory);
        // As a server does: retention trashes the snapshot, collection the pack only it named.
        memory.delete(Handle.of(FileKind.SNAPSHOT, snap1.hex()));
        memory.delete(Fixtures.pack(packA));

        CheckReport r = check(memory, true);

        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.danglingEntries()).isEqualTo(3);
        assertThat(r.danglingPacks()).isEqualTo(1);
        assertThat(r.notes()).containsExactly("3 index entries name 1 packs that are no longer stored (removed by a"
                + " server collection or an interrupted prune); the next prune drops them");
        assertThat(r.packs()).isEqualTo(2);
        assertThat(r.affectedFiles()).isEmpty();
    }

    @Test
    void check_goneTreePackALiveSnapshotNeeds_isAnErrorNamingThePack() throws Exception {
        build(memory);
        memory.delete(Fixtures.pack(packT));

        CheckReport r = check(memory, false);

        assertThat(r.ok()).isFalse();
        assertThat(subjects(r)).contains(data(packT));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p.message()).contains("tree blob is in pack "
                + packT.shortHex() + ", which is no longer stored"));
        assertThat(r.danglingPacks()).isZero();
        assertThat(r.affectedFiles()).containsOnlyKeys(snap1.hex(), snap2.hex());
        assertThat(r.affectedFiles().get(snap1.hex())).containsExactly("/ (directory listing)");
    }

    @Test
    void check_goneWithWriteOnlyKey_envelopeDecidesWhetherItIsAnError() throws Exception {
        build(memory);
        try (Repository repo = Fixtures.open(memory, clock)) {
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
        }
        memory.delete(Handle.of(FileKind.SNAPSHOT, snap1.hex()));
        memory.delete(Fixtures.pack(packA));
        memory.delete(Fixtures.pack(packB));

        CheckReport r;
        try (Repository repo = Repository.open(memory, WRITER, clock)) {
            r = new Checker(repo, s -> {}).check(false);
        }

        assertThat(subjects(r)).containsExactly(data(packB));
        assertThat(r.danglingPacks()).isEqualTo(1);
        assertThat(r.danglingEntries()).isEqualTo(3);
    }

    @Test
    void check_flippedBitInPackOnDisk_readDataNamesPackAndAffectedFilesOnly(@TempDir Path dir) throws Exception {
        LocalBackend local = new LocalBackend(dir.resolve("repo"));
        build(local);
        Path file = local.root().resolve("data").resolve(packA.hex().substring(0, 2)).resolve(packA.hex());
        assertThat(file).isRegularFile();
        long offset;
        try (Repository repo = Fixtures.open(local, clock)) {
            repo.loadIndex();
            offset = repo.index().lookup(a1).entry().offset() + 40;
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x10;
        file.toFile().setWritable(true);
        Files.write(file, bytes);

        // Sizes still match: only reading the data finds the damage.
        assertThat(check(local, false).ok()).isTrue();
        CheckReport r = check(local, true);

        assertThat(r.ok()).isFalse();
        assertThat(subjects(r)).containsOnly(data(packA));
        assertThat(r.packsRead()).isEqualTo(3);
        assertThat(r.affectedFiles()).containsOnlyKeys(snap1.hex());
        assertThat(r.affectedFiles().get(snap1.hex())).containsExactlyInAnyOrder("/a.txt", "/sub/c.txt");
    }

    @Test
    void check_flippedBitInPackInMemory_readDataNamesPackAndAffectedFiles() throws Exception {
        build(memory);
        Fixtures.rewrite(memory, Fixtures.pack(packB), Fixtures.flipBit(PackWriterOffsets.FIRST_BLOB + 100));

        CheckReport r = check(memory, true);

        assertThat(subjects(r)).containsOnly(data(packB));
        assertThat(r.problems().get(0).message()).contains("checksum");
        assertThat(r.affectedFiles()).containsOnlyKeys(snap1.hex(), snap2.hex());
        assertThat(r.affectedFiles().values()).allSatisfy(files -> assertThat(files).containsExactly("/b.txt"));
    }

    @Test
    void check_damagedRootTree_readDataListsTheDirectoryListing() throws Exception {
        build(memory);
        long offset;
        try (Repository repo = Fixtures.open(memory, clock)) {
            repo.loadIndex();
            offset = repo.index().lookup(root1).entry().offset() + 30;
        }
        Fixtures.rewrite(memory, Fixtures.pack(packT), Fixtures.flipBit(offset));

        CheckReport r = check(memory, true);

        assertThat(subjects(r)).contains(data(packT));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p.subject()).startsWith("tree " + root1.shortHex()));
        assertThat(r.affectedFiles()).containsOnlyKeys(snap1.hex());
        assertThat(r.affectedFiles().get(snap1.hex())).containsExactly("/ (directory listing)");
    }

    @Test
    void check_truncatedPack_isFoundWithoutReadingData() throws Exception {
        build(memory);
        long size = memory.stat(Fixtures.pack(packA)).size();
        Fixtures.rewrite(memory, Fixtures.pack(packA), Fixtures.truncate((int) size - 100));

        CheckReport r = check(memory, false);

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.subject()).isEqualTo(data(packA));
            assertThat(p.message()).contains(String.valueOf(size - 100)).contains(String.valueOf(size));
        });
        assertThat(r.affectedFiles().get(snap1.hex())).containsExactlyInAnyOrder("/a.txt", "/sub/c.txt");
        assertThat(subjects(check(memory, true))).contains(data(packA));
    }

    @Test
    void check_envelopeNamesPackNoIndexNames_reportsSnapshot() throws Exception {
        build(memory);
        Id bogus = Id.sha256(new byte[] {1, 2, 3}, 0, 3);
        Id bad;
        try (Repository repo = Fixtures.open(memory, clock)) {
            repo.loadIndex();
            List<Id> packs = new ArrayList<>(List.of(packA, packB, packT, bogus));
            packs.sort(null);
            bad = Fixtures.saveSnapshot(repo, root1, clock.millis(), packs);
        }

        CheckReport r = check(memory, false);

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.subject()).isEqualTo("snapshots/" + bad.hex());
            assertThat(p.message()).contains("no index names").contains(bogus.shortHex());
        });
    }

    @Test
    void check_envelopeOmitsPackSnapshotUses_reportsSnapshot() throws Exception {
        build(memory);
        Id bad;
        try (Repository repo = Fixtures.open(memory, clock)) {
            bad = Fixtures.saveSnapshot(repo, root1, clock.millis(), List.of(packT));
        }

        CheckReport r = check(memory, false);

        assertThat(subjects(r)).containsOnly("snapshots/" + bad.hex());
        assertThat(r.problems()).extracting(CheckReport.Problem::message)
                .anySatisfy(m -> assertThat(m).contains("does not name pack " + packA.shortHex()))
                .anySatisfy(m -> assertThat(m).contains("does not name pack " + packB.shortHex()));
    }

    @Test
    void check_damagedIndexFile_reportsIt() throws Exception {
        build(memory);
        Handle index = memory.list(FileKind.INDEX).get(0).handle();
        Fixtures.rewrite(memory, index, Fixtures.flipBit(20));

        CheckReport r = check(memory, false);

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.subject()).isEqualTo(index.toString());
            assertThat(p.message()).contains("damaged");
        });
        // The packs it described are now known to no index.
        assertThat(r.orphanPacks()).isEqualTo(1);
    }

    @Test
    void check_orphanPack_isCountedNotAnError() throws Exception {
        build(memory);
        try (Repository repo = Fixtures.open(memory, clock)) {
            PackWriter w = new PackWriter(repo.keys().publicKey(), repo.keys().indexKey(), Fixtures.LEVEL);
            byte[] data = Fixtures.random(50, 20_000);
            w.add(BlobType.DATA, repo.blobIds().of(data), data, 0, data.length);
            Pack p = w.finish();
            memory.put(Fixtures.pack(p.id()), Payload.of(p.bytes()));
        }

        CheckReport r = check(memory, false);
        assertThat(r.ok()).isTrue();
        assertThat(r.packs()).isEqualTo(4);
        assertThat(r.orphanPacks()).isEqualTo(1);

        CheckReport read = check(memory, true);
        assertThat(read.ok()).isTrue();
        assertThat(read.orphanPacks()).isEqualTo(1);
        assertThat(read.packsRead()).isEqualTo(4);
    }

    @Test
    void check_damagedSnapshotFileAndDamagedPack_reportsBothWithoutFailing() throws Exception {
        build(memory);
        Fixtures.rewrite(memory, Handle.of(FileKind.SNAPSHOT, snap2.hex()), Fixtures.flipBit(30));
        memory.delete(Fixtures.pack(packA));

        CheckReport r = check(memory, false);

        assertThat(subjects(r)).contains("snapshots/" + snap2.hex(), data(packA));
        assertThat(r.affectedFiles()).containsOnlyKeys(snap1.hex());
        assertThat(r.affectedFiles().get(snap1.hex())).containsExactlyInAnyOrder("/a.txt", "/sub/c.txt");
    }

    @Test
    void check_writeOnlyKey_readsNoTreesAndIsOkOnCleanRepository() throws Exception {
        build(memory);
        try (Repository repo = Fixtures.open(memory, clock)) {
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
        }
        FaultyBackend counting = new FaultyBackend(memory);
        AtomicInteger packReads = new AtomicInteger();
        counting.failWhen(c -> {
            if (c.op() == Op.READ && c.kind() == FileKind.PACK) {
                packReads.incrementAndGet();
            }
            return false;
        }, IOException::new);

        CheckReport r;
        try (Repository writer = Repository.open(counting, WRITER, clock)) {
            assertThat(writer.canRead()).isFalse();
            r = new Checker(writer, progress::add).check(false);
        }

        assertThat(r.problems()).isEmpty();
        assertThat(r.snapshots()).isEqualTo(2);
        assertThat(packReads).hasValue(0);

        CheckReport read;
        try (Repository writer = Repository.open(memory, WRITER, clock)) {
            read = new Checker(writer, progress::add).check(true);
        }
        assertThat(read.ok()).isTrue();
        assertThat(read.bytesRead()).isPositive();
    }

    @Test
    void check_writeOnlyKeyDamagedPack_namesPackButNoFiles() throws Exception {
        build(memory);
        try (Repository repo = Fixtures.open(memory, clock)) {
            repo.addKeySlot(KeySlot.Kind.WRITE_ONLY, WRITER, TestKdf.CHEAP, "ci@build");
        }
        Fixtures.rewrite(memory, Fixtures.pack(packA), Fixtures.flipBit(PackWriterOffsets.FIRST_BLOB + 10));

        CheckReport r;
        try (Repository writer = Repository.open(memory, WRITER, clock)) {
            r = new Checker(writer, progress::add).check(true);
        }

        assertThat(subjects(r)).containsOnly(data(packA));
        assertThat(r.affectedFiles()).isEmpty();
    }

    /** Where the first blob of a pack starts: after the frame header and the sealed data key. */
    private static final class PackWriterOffsets {
        static final long FIRST_BLOB = dev.cairn.format.pack.PackReader.HEADER_LENGTH;
    }
}
