package dev.cairn.client.fs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.Node.Timestamp;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;

/** Helpers shared by the file-system tests. */
final class TestFs {
    private TestFs() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo failed");
        }
    }

    /** Whether user xattrs can be written in {@code dir} through the JDK. */
    static boolean userXattrsSupported(Path dir) throws IOException {
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

    static void writeXattr(Path path, String name, byte[] value) throws IOException {
        Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS)
                .write(name, ByteBuffer.wrap(value));
    }

    static void setMtime(Path path, long seconds, int nanos) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(seconds, nanos)));
    }

    static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW_LINKS) & 07777;
    }

    static long uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", NOFOLLOW_LINKS);
    }

    static long gid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:gid", NOFOLLOW_LINKS);
    }

    /** Whether a numeric id appears in /etc/passwd (or /etc/group). */
    static boolean hasEntry(String database, long id) throws IOException {
        for (String line : Files.readAllLines(Path.of(database))) {
            String[] fields = line.split(":");
            if (fields.length > 2 && fields[2].equals(Long.toString(id))) {
                return true;
            }
        }
        return false;
    }

    static Node node(NodeType type, String name, int mode, long uid, long gid, String user, String group,
            Timestamp mtime, List<Xattr> xattrs) {
        return new Node(type, utf8(name), mode, uid, gid, user, group, mtime, Timestamp.ZERO, 0, 0, 1, 0,
                List.of(), null, new byte[0], 0, xattrs, false);
    }
}
