package dev.cairn.client.fs;

import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Creates what Java has no API for: FIFOs and device nodes, by running {@code mkfifo} and
 * {@code mknod}. Sockets are never created: one is only meaningful with its listening process.
 */
public final class SpecialFiles {
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private SpecialFiles() {}

    /**
     * Creates the FIFO or device node that {@code node} describes at {@code path}, with mode 0600
     * (device nodes on macOS: 0666 less the umask) and the current user as owner; {@link MetadataWriter#apply} then sets the recorded metadata.
     * An existing entry at {@code path} is left alone (and reported). Device nodes are created only
     * when {@linkplain MetadataWriter#runningAsRoot() running as root}, since nobody else may.
     *
     * @param node a node of type FIFO, CHAR_DEVICE, BLOCK_DEVICE or SOCKET
     * @return a warning for the user when the entry was not created, empty when it was
     * @throws IllegalArgumentException if the node is a file, directory or symlink
     */
    public static Optional<String> create(Path path, Node node) {
        return switch (node.type()) {
            case FIFO -> createFifo(path);
            case CHAR_DEVICE, BLOCK_DEVICE -> createDevice(path, node);
            case SOCKET -> Optional.of(display(path) + ": socket not restored, only its process can create one");
            default -> throw new IllegalArgumentException(node.type() + " is not a special file");
        };
    }

    private static Optional<String> createFifo(Path path) {
        if (Platform.WINDOWS) {
            return Optional.of(display(path) + ": FIFO not restored, Windows has none");
        }
        return createVia(path, temp -> List.of("mkfifo", "-m", "600", "--", temp));
    }

    private static Optional<String> createDevice(Path path, Node node) {
        String where = display(path);
        if (!MetadataWriter.runningAsRoot()) {
            return Optional.of(where + ": device node not restored, that needs root");
        }
        long[] majorMinor = majorMinor(node.rdev());
        if (majorMinor == null) {
            return Optional.of(where + ": device node not restored, unsupported on this platform");
        }
        String kind = node.type() == NodeType.CHAR_DEVICE ? "c" : "b";
        String major = Long.toString(majorMinor[0]);
        String minor = Long.toString(majorMinor[1]);
        // macOS's mknod has no -m; the umask-derived mode is replaced by MetadataWriter.apply
        return createVia(path, temp -> Platform.MAC ? List.of("mknod", temp, kind, major, minor)
                : List.of("mknod", "-m", "600", "--", temp, kind, major, minor));
    }

    /** The major and minor numbers packed in a {@code dev_t} of this platform; null if unknown. */
    static long[] majorMinor(long rdev) {
        if (Platform.LINUX) { // glibc's gnu_dev_major and gnu_dev_minor
            return new long[] {((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L),
                (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L)};
        }
        if (Platform.MAC) {
            return new long[] {(rdev >>> 24) & 0xff, rdev & 0xffffff};
        }
        return null;
    }

    /**
     * Sets the modification time of a device node with {@code touch -h}, which (unlike the JDK)
     * does not open the file: opening a device can block, as a serial port does, or act, as a tape
     * drive rewinding does.
     */
    static Optional<String> setModifiedTime(Path path, Instant mtime) {
        Optional<String> argument = commandArgument(path.toAbsolutePath());
        if (argument.isEmpty()) {
            return Optional.of(display(path) + ": time not restored, the name cannot be passed to touch");
        }
        return run(List.of("touch", "-h", "-c", "-m", "-d", mtime.toString(), "--", argument.get()))
                .map(problem -> display(path) + ": time not restored: " + problem);
    }

    // A command line is a String, and a raw name may have no String form that the child process
    // receives as the same bytes; so make the entry under a plain temporary name in the nearest
    // directory that has one, and rename it into place.
    private static Optional<String> createVia(Path path, Function<String, List<String>> command) {
        Path target = path.toAbsolutePath();
        Path dir = nameableAncestor(target.getParent());
        if (dir == null) {
            return Optional.of(display(path) + ": not restored, no directory above it has a usable name");
        }
        Path temp = dir.resolve(".cairn-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        Optional<String> problem = run(command.apply(commandArgument(temp).orElseThrow()));
        if (problem.isPresent()) {
            return Optional.of(display(path) + ": not restored: " + problem.get());
        }
        try {
            Files.move(temp, target);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            String reason = e instanceof FileAlreadyExistsException ? "something is already there" : e.toString();
            return Optional.of(display(path) + ": not restored: " + reason);
        }
    }

    private static Path nameableAncestor(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (commandArgument(d).isPresent()) {
                return d;
            }
        }
        return null;
    }

    /** The path as a command argument that reaches the child process as the path's exact bytes. */
    static Optional<String> commandArgument(Path path) {
        String s = path.toString();
        byte[] raw = RawNames.pathBytes(path);
        // JDK 17 encodes arguments with file.encoding, later JDKs with sun.jnu.encoding: need both.
        boolean exact = Arrays.equals(raw, s.getBytes(Charset.defaultCharset()))
                && Arrays.equals(raw, s.getBytes(Platform.fileNameCharset()));
        return exact ? Optional.of(s) : Optional.empty();
    }

    /** Runs a short command; empty on success, else what went wrong. */
    static Optional<String> run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Optional.of("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), Charset.defaultCharset()).strip();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return Optional.of(command.get(0) + " did not finish");
            }
            int status = process.exitValue();
            return status == 0 ? Optional.empty()
                    : Optional.of(command.get(0) + " failed (" + status + "): " + output);
        } catch (IOException e) {
            return Optional.of(command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(command.get(0) + " interrupted");
        } finally {
            process.destroy();
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stray temporary entry is harmless, and the caller already has a warning
        }
    }

    static String display(Path path) {
        return RawNames.display(RawNames.pathBytes(path));
    }
}
