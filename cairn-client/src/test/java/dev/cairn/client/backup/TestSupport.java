package dev.cairn.client.backup;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.cairn.client.fs.MetadataWriter;
import dev.cairn.client.fs.RawNames;
import dev.cairn.client.restore.RestoreResult;
import dev.cairn.client.restore.Restorer;
import dev.cairn.format.Id;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.repository.Repository;
import dev.cairn.storage.local.LocalBackend;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Helpers shared by the client-level backup and restore tests. */
public final class TestSupport {
    public static final String PASSWORD = "correct horse battery staple";
    public static final String HOST = "testhost";

    private TestSupport() {}

    /** A new repository in {@code dir}, with the cheap test KDF. */
    public static Repository initRepo(Path dir) throws IOException {
        return Repository.init(new LocalBackend(dir), PASSWORD.toCharArray(), TestKdf.CHEAP, "test",
                Clock.systemUTC());
    }

    public static Repository openRepo(Path dir) throws IOException {
        return Repository.open(new LocalBackend(dir), PASSWORD.toCharArray(), Clock.systemUTC());
    }

    public static BackupOptions options(BackupMode mode, int threads, Path... paths) {
        return new BackupOptions(List.of(paths), List.of(), false, false, List.of(), HOST, "tester", mode,
                threads, Compression.DEFAULT_LEVEL);
    }

    public static BackupResult backup(Repository repo, BackupMode mode, Path... paths) throws IOException {
        return backup(repo, options(mode, 2, paths), null);
    }

    public static BackupResult backup(Repository repo, BackupOptions opts, ParentCache cache) throws IOException {
        return new Archiver(repo, opts, cache, new Progress(), Clock.systemUTC()).run();
    }

    public static RestoreResult restore(Repository repo, Id snapshot, Path target, List<String> includes)
            throws IOException {
        return new Restorer(repo, new MetadataWriter(MetadataWriter.runningAsRoot()), new Progress())
                .restore(repo.readSnapshot(snapshot), target, includes);
    }

    /** Where a restore below {@code target} puts the entry that was at absolute path {@code source}. */
    public static Path restoredPath(Path target, Path source) {
        Path abs = source.toAbsolutePath().normalize();
        Path out = target;
        for (Path part : abs) {
            out = RawNames.resolve(out, RawNames.bytes(part));
        }
        return out;
    }

    public static void writeRandom(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file, NOFOLLOW_LINKS)) {
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** 512-byte blocks allocated to a file, as {@code stat -c %b} reports them. */
    public static long blocks(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            throw new IOException("stat failed: " + out);
        }
        return Long.parseLong(out);
    }

    public static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    public static void setMtime(Path path, long seconds, int nanos) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(seconds, nanos)));
    }

    /** Whether user xattrs can be written in {@code dir} through the JDK. */
    public static boolean userXattrsSupported(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, "xattr", ".probe");
        try {
            UserDefinedFileAttributeView view =
                    Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS);
            if (view == null) {
                return false;
            }
            view.write("cairn.probe", ByteBuffer.wrap(new byte[] {1}));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

    /** Every entry below {@code root} (not root itself), relative to it, in a stable order. */
    public static List<Path> entries(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(root::relativize)
                    .sorted((a, b) -> java.util.Arrays.compareUnsigned(RawNames.pathBytes(a), RawNames.pathBytes(b)))
                    .toList();
        }
    }

    /** The tree id of the directory at absolute path {@code dir} in a snapshot. */
    public static Id subtree(Repository repo, Id snapshot, Path dir) throws IOException {
        Id tree = repo.readSnapshot(snapshot).snapshot().tree();
        for (Path part : dir.toAbsolutePath()) {
            byte[] name = RawNames.bytes(part);
            tree = repo.loadTree(tree).nodes().stream().filter(n -> java.util.Arrays.equals(n.name(), name))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + part + " in the snapshot")).subtree();
        }
        return tree;
    }

    /** Resolves a relative path of raw name elements below {@code dir}, byte for byte. */
    public static Path resolveRaw(Path dir, Path relative) {
        Path out = dir;
        for (Path part : relative) {
            out = RawNames.resolve(out, RawNames.bytes(part));
        }
        return out;
    }
}
