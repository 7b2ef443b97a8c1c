package dev.cairn.client.fs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.Node.Timestamp;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the metadata of directory entries into {@link Node}s. Never follows symlinks: a symlink is
 * recorded as a symlink, whatever it points to (or whether it points anywhere).
 *
 * <p>Uses the JDK's {@code unix} attribute view where there is one (Linux, macOS), which has
 * everything a node holds. Elsewhere it records what the {@code posix} or {@code basic} and
 * {@code dos} views offer: numeric ids are then -1, inode and device 0, ctime zero.
 *
 * <p>Thread-safe. It caches user and group names by id, so use one reader per backup.
 */
public final class MetadataReader {
    /** Linux refuses longer xattr values; larger "attributes" (Windows streams) are not metadata. */
    static final int MAX_XATTR_BYTES = 64 * 1024;

    private static final String UNIX_ATTRIBUTES =
            "unix:mode,ino,dev,rdev,nlink,uid,gid,ctime,size,lastModifiedTime";
    private static final String STAT_ATTRIBUTES = "unix:mode,ino,dev,ctime,size,lastModifiedTime";

    private final Map<Long, String> userNames = new ConcurrentHashMap<>();
    private final Map<Long, String> groupNames = new ConcurrentHashMap<>();

    /**
     * The metadata of the entry at {@code path}, itself (not a symlink's target). The node's content
     * is empty and its subtree null: filling them is the archiver's job.
     *
     * <p>Extended attributes are read for files and directories only (opening anything else could
     * block or have side effects); if they cannot be listed the node has none, and one that cannot
     * be read, or is larger than 64 KiB, is left out. On Linux the JDK sees the {@code user.}
     * namespace only, and names are recorded with that prefix ({@code user.comment}).
     *
     * @param path a path with a file name element (not a root): its last element becomes the name
     * @throws java.nio.file.NoSuchFileException if nothing is there
     * @throws IOException if the entry cannot be read, or is of a type no node can hold
     */
    public Node read(Path path) throws IOException {
        return read(path, null);
    }

    /**
     * Like {@link #read(Path)}, but takes the extended attributes from {@code before} (the same
     * entry in an earlier snapshot) when its inode and ctime show it untouched since: setting or
     * removing an extended attribute changes the ctime, so they cannot differ. Listing them costs
     * an open, a listxattr and a close per entry, a good part of a backup where nothing changed.
     */
    public Node read(Path path, Node before) throws IOException {
        byte[] name = RawNames.bytes(path);
        boolean unix = supportsUnix(path);
        Node node = unix ? readUnix(path, name) : readPortable(path, name);
        if (node.type() != NodeType.FILE && node.type() != NodeType.DIRECTORY) {
            return node;
        }
        if (unix && before != null && before.type() == node.type() && before.inode() == node.inode()
                && before.ctime().equals(node.ctime())) {
            return withXattrs(node, before.xattrs());
        }
        return withXattrs(node, readXattrs(path));
    }

    /**
     * The attributes that reveal a change, from one {@code lstat} (never following symlinks).
     *
     * @throws IOException if the entry cannot be read, or is of a type no node can hold
     */
    public Stat stat(Path path) throws IOException {
        if (supportsUnix(path)) {
            Map<String, Object> a = Files.readAttributes(path, STAT_ATTRIBUTES, NOFOLLOW_LINKS);
            NodeType type = typeOfMode(path, (Integer) a.get("mode"));
            return new Stat(type, type == NodeType.FILE ? (Long) a.get("size") : 0,
                    timestamp(a.get("lastModifiedTime")), timestamp(a.get("ctime")),
                    (Long) a.get("ino"), (Long) a.get("dev"));
        }
        BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS);
        NodeType type = typeOf(path, b);
        return new Stat(type, type == NodeType.FILE ? b.size() : 0, timestamp(b.lastModifiedTime()),
                Timestamp.ZERO, 0, 0);
    }

    /** What the entry at {@code path} is, not following symlinks. */
    static NodeType typeOf(Path path) throws IOException {
        if (supportsUnix(path)) {
            return typeOfMode(path, (Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW_LINKS));
        }
        return typeOf(path, Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS));
    }

    static boolean supportsUnix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    private Node readUnix(Path path, byte[] name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES, NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        NodeType type = typeOfMode(path, mode);
        long uid = Integer.toUnsignedLong((Integer) a.get("uid"));
        long gid = Integer.toUnsignedLong((Integer) a.get("gid"));
        boolean device = type == NodeType.CHAR_DEVICE || type == NodeType.BLOCK_DEVICE;
        return new Node(type, name, mode & 07777, uid, gid, userName(path, uid), groupName(path, gid),
                timestamp(a.get("lastModifiedTime")), timestamp(a.get("ctime")), (Long) a.get("ino"),
                (Long) a.get("dev"), Integer.toUnsignedLong((Integer) a.get("nlink")),
                type == NodeType.FILE ? (Long) a.get("size") : 0, List.of(), null,
                linkTarget(path, type), device ? (Long) a.get("rdev") : 0, List.of(), false);
    }

    private Node readPortable(Path path, byte[] name) throws IOException {
        Set<String> views = path.getFileSystem().supportedFileAttributeViews();
        BasicFileAttributes b = views.contains("posix")
                ? Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW_LINKS)
                : Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS);
        NodeType type = typeOf(path, b);
        String user = "";
        String group = "";
        int mode;
        if (b instanceof PosixFileAttributes p) {
            mode = modeOf(p.permissions());
            user = principalName(p.owner());
            group = principalName(p.group());
        } else {
            mode = portableMode(path, type, views);
            user = views.contains("owner") ? ownerName(path) : "";
        }
        return new Node(type, name, mode, -1, -1, user, group, timestamp(b.lastModifiedTime()),
                Timestamp.ZERO, 0, 0, 1, type == NodeType.FILE ? b.size() : 0, List.of(), null,
                linkTarget(path, type), 0, List.of(), false);
    }

    // Windows has no mode: derive the conventional one from the read-only flag.
    private static int portableMode(Path path, NodeType type, Set<String> views) throws IOException {
        if (type == NodeType.DIRECTORY) {
            return 0755;
        }
        if (type == NodeType.SYMLINK) {
            return 0777;
        }
        if (views.contains("dos")) {
            DosFileAttributes d = Files.readAttributes(path, DosFileAttributes.class, NOFOLLOW_LINKS);
            return d.isReadOnly() ? 0444 : 0644;
        }
        return 0644;
    }

    private static String ownerName(Path path) {
        try {
            return principalName(Files.getOwner(path, NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    // Reading names costs a passwd/group lookup per file (possibly over the network with LDAP),
    // so ask the JDK only for ids not seen yet.
    private String userName(Path path, long uid) {
        if (!userNames.containsKey(uid)) {
            cacheNames(path);
        }
        return userNames.getOrDefault(uid, "");
    }

    private String groupName(Path path, long gid) {
        if (!groupNames.containsKey(gid)) {
            cacheNames(path);
        }
        return groupNames.getOrDefault(gid, "");
    }

    // Reads ids and names together, so a concurrent chown cannot pair an id with another's name.
    private void cacheNames(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:uid,gid,owner,group", NOFOLLOW_LINKS);
            long uid = Integer.toUnsignedLong((Integer) a.get("uid"));
            long gid = Integer.toUnsignedLong((Integer) a.get("gid"));
            userNames.putIfAbsent(uid, knownName((UserPrincipal) a.get("owner"), uid));
            groupNames.putIfAbsent(gid, knownName((UserPrincipal) a.get("group"), gid));
        } catch (IOException | RuntimeException e) {
            // names are a convenience; the ids are what matters
        }
    }

    // For an id without a passwd/group entry the JDK makes up a principal named by the number.
    private static String knownName(UserPrincipal principal, long id) {
        String name = principalName(principal);
        return name.equals(Long.toString(id)) ? "" : name;
    }

    private static String principalName(UserPrincipal principal) {
        return principal == null || principal.getName() == null ? "" : principal.getName();
    }

    private static byte[] linkTarget(Path path, NodeType type) throws IOException {
        return type == NodeType.SYMLINK ? RawNames.pathBytes(Files.readSymbolicLink(path)) : new byte[0];
    }

    private static List<Xattr> readXattrs(Path path) {
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS);
        if (view == null) {
            return List.of();
        }
        List<String> names;
        try {
            names = view.list();
        } catch (IOException | RuntimeException e) {
            return List.of(); // EPERM, EACCES, ENOTSUP: the file is still worth backing up
        }
        List<Xattr> xattrs = new ArrayList<>(names.size());
        for (String name : names) {
            byte[] value = readXattr(view, name);
            if (value != null) {
                xattrs.add(new Xattr(Platform.LINUX ? "user." + name : name, value));
            }
        }
        xattrs.sort(Comparator.comparing(Xattr::name));
        return xattrs;
    }

    /** Null when unreadable (e.g. removed or grown since listed) or too large. */
    private static byte[] readXattr(UserDefinedFileAttributeView view, String name) {
        try {
            int size = view.size(name);
            if (size > MAX_XATTR_BYTES) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(size);
            view.read(name, buffer);
            buffer.flip();
            return Arrays.copyOf(buffer.array(), buffer.limit());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Node withXattrs(Node n, List<Xattr> xattrs) {
        return new Node(n.type(), n.name(), n.mode(), n.uid(), n.gid(), n.user(), n.group(), n.mtime(),
                n.ctime(), n.inode(), n.device(), n.links(), n.size(), n.content(), n.subtree(),
                n.linkTarget(), n.rdev(), xattrs, n.changedDuringBackup());
    }

    /** The node type encoded in the {@code S_IFMT} bits of a Unix {@code st_mode}. */
    static NodeType typeOfMode(Path path, int mode) throws IOException {
        return switch (mode & 0170000) {
            case 0140000 -> NodeType.SOCKET;
            case 0120000 -> NodeType.SYMLINK;
            case 0100000 -> NodeType.FILE;
            case 0060000 -> NodeType.BLOCK_DEVICE;
            case 0040000 -> NodeType.DIRECTORY;
            case 0020000 -> NodeType.CHAR_DEVICE;
            case 0010000 -> NodeType.FIFO;
            default -> throw unsupportedType(path);
        };
    }

    private static NodeType typeOf(Path path, BasicFileAttributes b) throws IOException {
        if (b.isSymbolicLink()) {
            return NodeType.SYMLINK;
        } else if (b.isDirectory()) {
            return NodeType.DIRECTORY;
        } else if (b.isRegularFile()) {
            return NodeType.FILE;
        }
        throw unsupportedType(path);
    }

    private static IOException unsupportedType(Path path) {
        return new IOException("unsupported file type: " + RawNames.display(RawNames.pathBytes(path)));
    }

    static int modeOf(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 0400 >> p.ordinal(); // the enum is declared in rwxrwxrwx order, owner first
        }
        return mode;
    }

    // Instant avoids FileTime.to(NANOSECONDS) overflowing outside 1677..2262.
    static Timestamp timestamp(Object fileTime) {
        Instant i = ((FileTime) fileTime).toInstant();
        return new Timestamp(i.getEpochSecond(), i.getNano());
    }
}
