package dev.cairn.agent.json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a reader, or the file system after a crash, sees either the old
 * contents or the new, never a mix: the bytes go to a temporary sibling, are forced to disk,
 * and the sibling is renamed over the target, after which the folder itself is forced.
 *
 * <p>Temporary siblings end in {@value #TEMP_SUFFIX}; a crash may leave one behind, and readers
 * of a folder must ignore such files.
 */
public final class AtomicFile {
    /** Suffix of the temporary files this class writes. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFile() {}

    /** Writes {@code text} as UTF-8 to {@code target}, atomically and durably. */
    public static void write(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code target}, atomically and durably. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid()
                + "." + Thread.currentThread().getId() + TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    /** Forces a folder's entries to disk, so a rename or delete in it survives a crash. */
    public static void forceDirectory(Path dir) {
        // Not every platform can open a folder (Windows cannot); there the rename is what we get.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort, see above
        }
    }
}
