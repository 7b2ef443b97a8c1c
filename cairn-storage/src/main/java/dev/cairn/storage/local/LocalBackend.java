package dev.cairn.storage.local;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@link Backend} that keeps files in a folder on a local or mounted file system, which may be
 * any {@link java.nio.file.FileSystem}, not only the default one.
 *
 * <p>Layout under the root: {@code config}, {@code keys/NAME}, {@code data/XX/NAME} for packs
 * (XX being the first two characters of the name, or the whole name if it is shorter, so that no
 * single folder holds millions of files), {@code index/NAME}, {@code snapshots/NAME} and
 * {@code locks/NAME}. Folders, the root included, are created when first needed.
 *
 * <p>A put writes the payload to a temporary file named {@code .tmp-<random>} in the target's
 * folder, forces it to disk, then publishes it under its real name with a hard link, which the
 * operating system refuses if that name exists. This makes puts atomic and racing puts safe, and
 * readers never see a partial file. On file systems without hard links it falls back to a rename
 * that checks for an existing file first; there, two puts racing on the same handle may both
 * succeed and the later one wins. Finally the folder itself is forced to disk where the platform
 * allows it, so the new name survives a crash. A failed put always removes its temporary file.
 *
 * <p>{@link #list} ignores anything that is not a valid file of the asked kind in its proper
 * place: temporary files, editor backups, operating system clutter. A full disk is reported as a
 * permanent {@link IOException} saying so. This backend never throws
 * {@link dev.cairn.storage.TransientIOException}.
 */
public final class LocalBackend implements Backend {
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int COPY_BUFFER_SIZE = 128 * 1024;

    private final Path root;

    /** A backend storing its files under {@code root}, which need not exist yet. */
    public LocalBackend(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The absolute folder holding this backend's files. */
    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void put(Handle handle, Payload payload) throws IOException {
        Path target = pathOf(handle);
        // Fail fast so a doomed put does not write a large payload first; publish re-checks.
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path folder = target.getParent();
        try {
            createFolder(folder);
            writeAndPublish(payload, folder, target);
        } catch (IOException e) {
            throw diskFullOr(e, handle);
        }
        syncFolder(folder);
    }

    @Override
    public void read(Handle handle, long offset, long length, ReadConsumer consumer)
            throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        Path file = pathOf(handle);
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            long count = rangeLength(file, channel.size(), offset, length);
            channel.position(offset);
            consumer.accept(new RangeInputStream(channel, count, file));
        }
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        Path file = pathOf(handle);
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new NoSuchFileException(file.toString(), null, "not a regular file");
        }
        return new FileInfo(handle, attributes.size());
    }

    @Override
    public List<FileInfo> list(FileKind kind) throws IOException {
        List<FileInfo> result = new ArrayList<>();
        if (kind == FileKind.CONFIG) {
            addIfValid(kind, pathOf(Handle.config()), result);
        } else if (kind == FileKind.PACK) {
            for (Path shard : entries(root.resolve(kind.folder()))) {
                addValidFiles(kind, shard, result);
            }
        } else {
            addValidFiles(kind, root.resolve(kind.folder()), result);
        }
        return result;
    }

    @Override
    public void delete(Handle handle) throws IOException {
        // The folder is not forced to disk: a delete lost in a crash only leaves a file that the
        // next cleanup removes again, and forcing after every delete would make pruning slow.
        Files.delete(pathOf(handle));
    }

    @Override
    public String toString() {
        return "LocalBackend[" + root + "]";
    }

    private Path pathOf(Handle handle) {
        FileKind kind = handle.kind();
        String name = handle.name();
        return switch (kind) {
            case CONFIG -> root.resolve(name);
            case PACK -> root.resolve(kind.folder()).resolve(shardOf(name)).resolve(name);
            default -> root.resolve(kind.folder()).resolve(name);
        };
    }

    private static String shardOf(String name) {
        return name.length() < 2 ? name : name.substring(0, 2);
    }

    private static void writeAndPublish(Payload payload, Path folder, Path target)
            throws IOException {
        Path temp = folder.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            writeDurably(payload, temp);
            publish(temp, target);
        } catch (Throwable e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        // After a hard link the temp is a second name for the published file. If removing it
        // fails the put has still succeeded, and list ignores the leftover.
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Nothing to undo; see above.
        }
    }

    private static void writeDurably(Payload payload, Path temp) throws IOException {
        try (SeekableByteChannel channel = createTemp(temp); InputStream in = payload.open()) {
            long written = copy(in, channel);
            if (written != payload.length()) {
                throw new IOException("payload promised " + payload.length()
                        + " bytes but yielded " + written + "; nothing was stored");
            }
            // Other file systems may offer no FileChannel and thus no way to force; there is
            // nothing better to do than trust them.
            if (channel instanceof FileChannel file) {
                file.force(true);
            }
        }
    }

    private static SeekableByteChannel createTemp(Path temp) throws IOException {
        try {
            return Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            // Must not escape as FileAlreadyExistsException: callers would think the target exists.
            throw new IOException("temporary file name clash at " + temp, e);
        }
    }

    private static long copy(InputStream in, SeekableByteChannel out) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_SIZE];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; total += n) {
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
        return total;
    }

    private static void publish(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links here (FAT, some network shares, zip file systems). Without
            // REPLACE_EXISTING, move checks for the target and then renames: not atomic, so two
            // puts racing on one handle can both succeed. Files are content-addressed, so the
            // racers almost always carry the same bytes and the outcome is the same.
            Files.move(temp, target);
        }
    }

    private static void createFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.getParent();
        if (parent != null) {
            createFolder(parent);
        }
        try {
            Files.createDirectory(folder);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(folder)) {
                return; // another put created it meanwhile
            }
            // Not FileAlreadyExistsException: callers would think the target file exists.
            throw new NotDirectoryException(folder.toString());
        }
        // Without this a crash could lose the new folder, and with it the file put into it.
        if (parent != null) {
            syncFolder(parent);
        }
    }

    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows and some file systems cannot open or force a folder. The file's bytes are
            // already on disk; only its new name might be lost in a crash, which we cannot help.
        }
    }

    private IOException diskFullOr(IOException e, Handle handle) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device")
                    || message.contains("not enough space on the disk"))) {
                return new IOException("The disk at " + root + " is full: nothing was stored ("
                        + handle + ")", e);
            }
        }
        return e;
    }

    private static long rangeLength(Path file, long size, long offset, long length)
            throws EOFException {
        long end = length == 0 ? size : offset + length;
        if (offset > size || end > size || end < offset) {
            throw new EOFException(file + ": cannot read " + (length == 0 ? "to the end" : length
                    + " bytes") + " from offset " + offset + ", the file has only " + size + " bytes");
        }
        return end - offset;
    }

    private void addValidFiles(FileKind kind, Path folder, List<FileInfo> out) throws IOException {
        for (Path file : entries(folder)) {
            addIfValid(kind, file, out);
        }
    }

    private void addIfValid(FileKind kind, Path file, List<FileInfo> out) throws IOException {
        Handle handle = handleOf(kind, file.getFileName().toString());
        // Comparing paths also rejects a pack sitting in the wrong shard folder, which read and
        // stat would never find.
        if (handle == null || !pathOf(handle).equals(file)) {
            return;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return; // deleted since the folder was read, or (for config) never there
        }
        if (attributes.isRegularFile()) {
            out.add(new FileInfo(handle, attributes.size()));
        }
    }

    private static Handle handleOf(FileKind kind, String name) {
        if (name.startsWith(".")) {
            return null; // our temp files and hidden clutter; never a valid name anyway
        }
        try {
            return new Handle(kind, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<Path> entries(Path folder) throws IOException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(result::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            // Not created yet (nothing of this kind was ever put), or junk where a folder belongs.
            return List.of();
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return result;
    }
}
