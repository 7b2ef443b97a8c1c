package dev.cairn.client.drill;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A fresh folder that is removed with everything in it on {@link #close()}. On POSIX systems the
 * JDK creates it readable by its owner only, which matters: it holds restored, decrypted data.
 */
final class TempFolder implements AutoCloseable {
    private final Path path;

    private TempFolder(Path path) {
        this.path = path;
    }

    static TempFolder create(Path parent) throws IOException {
        return new TempFolder(Files.createTempDirectory(parent, "cairn-drill-"));
    }

    Path path() {
        return path;
    }

    /** Deletes the folder; symlinks inside (there should be none) are removed, never followed. */
    @Override
    public void close() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
