package dev.cairn.client.drill;

import dev.cairn.client.backup.Progress;
import dev.cairn.client.fs.MetadataReader;
import dev.cairn.client.fs.RawNames;
import dev.cairn.client.fs.Stat;
import dev.cairn.format.Id;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.repository.Repository;
import dev.cairn.repository.RepositoryException;
import dev.cairn.repository.StoredSnapshot;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The restore drill: proves that a snapshot can actually be restored by restoring a random sample
 * of its files to a temporary folder and checking every byte, rather than trusting that data which
 * was written is still readable.
 *
 * <p>For each sampled file: every chunk is read through the repository, which checks it against its
 * id (a failure, or a wrong total size, is {@link Mismatch.Kind#DAMAGED_BACKUP}); the restored copy
 * is then read back from disk and each chunk's keyed hash compared with the snapshot's
 * ({@link Mismatch.Kind#RESTORE_DIFFERS}); finally, if the source file is still on this machine
 * with the size and modification time the snapshot recorded, the copy is compared with it byte
 * for byte ({@link Mismatch.Kind#SOURCE_DIFFERS}). A source that changed or is gone is counted,
 * not compared, and not a failure: the backup is not wrong for being older than the file.
 *
 * <p>A directory listing that cannot be read is a {@link Mismatch.Kind#DAMAGED_BACKUP} too, named by
 * the directory's path with a trailing slash; the files below it cannot be sampled.
 *
 * <p>The temporary folder is removed when the drill ends, however it ends; at most one restored
 * file exists in it at a time. Not thread-safe: use one drill per run.
 */
public final class RestoreDrill {
    private static final int BUFFER = 64 * 1024;

    private final Repository repo;
    private final Clock clock;
    private final Progress progress;
    private final MetadataReader metadata = new MetadataReader();

    /**
     * @param clock times the drill
     * @param progress receives the sample's totals, then each file and its bytes as they are restored
     */
    public RestoreDrill(Repository repo, Clock clock, Progress progress) {
        this.repo = repo;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * Runs the drill on one snapshot.
     *
     * @throws RepositoryException.WriteOnly if the repository was opened with a write-only key
     * @throws IOException if the temporary folder cannot be written; damage to the backup, file
     *     data and directory listings alike, is a mismatch, not an exception
     */
    public DrillResult run(StoredSnapshot snap, DrillOptions options) throws IOException {
        if (snap.snapshot() == null) {
            throw new RepositoryException.WriteOnly("run a restore drill");
        }
        long start = clock.millis();
        repo.loadIndex();
        Sampler sampler = new Sampler(repo, options.seed(), options.files(), options.maxBytes());
        List<SampledFile> sample = sampler.sample(snap.snapshot().tree());
        progress.setTotals(sample.size(), sample.stream().mapToLong(f -> f.node().size()).sum());
        Tally tally = new Tally();
        for (Sampler.DamagedTree d : sampler.damaged()) {
            tally.mismatch(d.path(), Mismatch.Kind.DAMAGED_BACKUP,
                    "the directory listing cannot be restored, nor anything below it: " + d.error());
        }
        try (TempFolder temp = TempFolder.create(options.tempParent())) {
            for (SampledFile f : sample) {
                drill(f, temp.path(), options.compareSource(), tally);
            }
        }
        return tally.result(snap.id(), options.seed(), Duration.ofMillis(Math.max(0, clock.millis() - start)));
    }

    private void drill(SampledFile f, Path dir, boolean compareSource, Tally tally) throws IOException {
        progress.addFile(f.path(), 0);
        tally.tested(f.node().size());
        Path copy = Files.createTempFile(dir, "file-", ".restored");
        try {
            Optional<String> damage = restore(f.node(), copy);
            if (damage.isPresent()) {
                tally.mismatch(f, Mismatch.Kind.DAMAGED_BACKUP, damage.get());
                return;
            }
            Optional<String> differs = readBack(f.node(), copy);
            if (differs.isPresent()) {
                tally.mismatch(f, Mismatch.Kind.RESTORE_DIFFERS, differs.get());
            } else if (compareSource) {
                compareWithSource(f, copy, tally);
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** Writes the file's content to {@code copy}; returns what is wrong with the backup, if anything. */
    private Optional<String> restore(Node node, Path copy) throws IOException {
        List<Id> chunks = node.content();
        long written = 0;
        try (FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (int i = 0; i < chunks.size(); i++) {
                byte[] data;
                try {
                    data = repo.loadBlob(chunks.get(i));
                } catch (IOException e) {
                    // Whatever stops the repository giving a chunk back (altered bytes, a missing
                    // pack, a missing index entry) means this file cannot be restored.
                    return Optional.of("chunk " + (i + 1) + " of " + chunks.size() + " ("
                            + chunks.get(i).shortHex() + ") cannot be restored: " + e.getMessage());
                }
                writeFully(out, data);
                written += data.length;
                progress.addBytes(data.length);
            }
        }
        if (written != node.size()) {
            return Optional.of("the chunks hold " + written + " bytes, the snapshot says the file has " + node.size());
        }
        return Optional.empty();
    }

    private static void writeFully(FileChannel out, byte[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }

    /**
     * Reads the restored copy back and checks each chunk's keyed hash against the snapshot: proof
     * that what landed on disk, not just what was decrypted in memory, is right.
     */
    private Optional<String> readBack(Node node, Path copy) throws IOException {
        List<Id> chunks = node.content();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(copy, LinkOption.NOFOLLOW_LINKS), BUFFER)) {
            for (int i = 0; i < chunks.size(); i++) {
                int length = repo.index().lookup(chunks.get(i)).entry().rawLength();
                byte[] chunk = in.readNBytes(length);
                if (chunk.length != length || !repo.blobIds().of(chunk).equals(chunks.get(i))) {
                    return Optional.of("chunk " + (i + 1) + " of " + chunks.size() + " (" + chunks.get(i).shortHex()
                            + ") verified in memory but reads back wrong from " + copy.getParent()
                            + ": suspect that disk or this machine's memory");
                }
            }
            if (in.read() != -1) {
                return Optional.of("the restored copy is longer than the snapshot's " + node.size() + " bytes");
            }
        }
        return Optional.empty();
    }

    private void compareWithSource(SampledFile f, Path copy, Tally tally) {
        Path source = sourcePath(f.names());
        try {
            Stat now = metadata.stat(source);
            if (now.type() != NodeType.FILE || now.size() != f.node().size() || !now.mtime().equals(f.node().mtime())) {
                tally.changed();
                return;
            }
            long at = firstDifference(source, copy);
            tally.compared();
            if (at >= 0) {
                tally.mismatch(f, Mismatch.Kind.SOURCE_DIFFERS, "the source differs from the backup from byte " + at
                        + " on, although its size and modification time are as the snapshot recorded them"
                        + " (bit rot on the source disk, or a tool that put the old time back)");
            }
        } catch (NoSuchFileException e) {
            tally.gone();
        } catch (IOException e) {
            tally.warn(f.path() + ": the source was not compared: " + e.getMessage());
        }
    }

    /** Where the snapshot's absolute path is on this machine, built from the raw names. */
    private static Path sourcePath(List<byte[]> names) {
        Path p = FileSystems.getDefault().getPath("/");
        for (byte[] name : names) {
            p = RawNames.resolve(p, name);
        }
        return p;
    }

    /** The offset of the first byte where the two files differ, or -1 if they are identical. */
    static long firstDifference(Path a, Path b) throws IOException {
        try (InputStream x = Files.newInputStream(a, LinkOption.NOFOLLOW_LINKS);
                InputStream y = Files.newInputStream(b, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bx = new byte[BUFFER];
            byte[] by = new byte[BUFFER];
            long offset = 0;
            while (true) {
                int nx = x.readNBytes(bx, 0, BUFFER);
                int ny = y.readNBytes(by, 0, BUFFER);
                int m = Arrays.mismatch(bx, 0, nx, by, 0, ny);
                if (m >= 0) {
                    return offset + m;
                }
                if (nx < BUFFER) {
                    return -1;
                }
                offset += nx;
            }
        }
    }
}
