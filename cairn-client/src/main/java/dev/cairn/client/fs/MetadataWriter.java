package dev.cairn.client.fs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a {@link Node}'s metadata to a restored entry. Failures the user can live with (no
 * permission to chown, a file system without xattrs, a platform without symlink times) become
 * warnings rather than exceptions.
 *
 * <p>Symlinks are never followed, except where noted on {@link #apply}. Thread-safe.
 */
public final class MetadataWriter {
    private static final long MAX_ID = 0xFFFF_FFFEL; // (uid_t) -1 tells chown "leave unchanged"
    private static final Instant MIN_JDK_TIME = Instant.ofEpochSecond(0, Long.MIN_VALUE);
    private static final Instant MAX_JDK_TIME = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    private final boolean restoreOwnership;

    /**
     * @param restoreOwnership set owners and groups; only root may give files away, so pass
     *     {@link #runningAsRoot()} unless the user asked otherwise
     */
    public MetadataWriter(boolean restoreOwnership) {
        this.restoreOwnership = restoreOwnership;
    }

    /**
     * Sets the metadata of the entry at {@code path} from {@code node}, in this order:
     * <ol>
     *   <li>owner and group (if restoring ownership): by numeric id where known, else by name;
     *   <li>extended attributes (files and directories only), added to any already there;
     *   <li>modification time (also of symlinks where the platform can; silently skipped where it
     *       cannot); access time is left alone and ctime cannot be set;
     *   <li>permission bits, including setuid, setgid and sticky (not for symlinks).
     * </ol>
     * Chown comes before chmod because chown clears setuid and setgid. Times and xattrs come before
     * chmod because the JDK opens the file to set them, which a restored mode such as 0200 or 0300
     * would forbid to a non-root owner; chmod does not touch the mtime.
     *
     * <p>Call it for a directory after restoring its contents, which change its mtime. Times the
     * JDK would set wrongly (before 1970 with a fraction of a second, or outside 1677..2262), times
     * of device nodes (which the JDK would open) and of files their owner cannot read are set by
     * running {@code touch -h}.
     *
     * <p>The strategy follows what is on disk, not {@code node.type()}. Permission bits of FIFOs
     * and device nodes are set by path, which follows a symlink swapped in meanwhile: restore into
     * directories other users cannot write.
     *
     * @return warnings for the user, empty if everything was applied
     * @throws IOException if the entry cannot be examined at all (e.g. it does not exist)
     */
    public List<String> apply(Path path, Node node) throws IOException {
        OnDisk disk = OnDisk.of(path);
        NodeType actual = disk.type();
        List<String> warnings = new ArrayList<>();
        boolean chowned = false;
        if (restoreOwnership) {
            chowned = restoreUser(path, node, disk, warnings);
            chowned |= restoreGroup(path, node, disk, warnings);
        }
        if ((actual == NodeType.FILE || actual == NodeType.DIRECTORY) && !node.xattrs().isEmpty()) {
            restoreXattrs(path, node.xattrs(), warnings);
        }
        restoreTime(path, actual, node.mtime(), disk.accessTime(), warnings);
        int mode = node.mode() & 07777;
        if (actual != NodeType.SYMLINK && (chowned || disk.mode() != mode)) {
            restoreMode(path, actual, mode, warnings);
        }
        return warnings;
    }

    /**
     * What is on disk before anything is applied, read in one call where the platform has the
     * unix view: a restore of many small files spends its time in system calls, and owner and mode
     * mostly come out right at creation, so their calls are skipped when they would change nothing.
     * Unknown values are -1 (and a null access time).
     */
    private record OnDisk(NodeType type, int mode, long uid, long gid, FileTime accessTime) {
        static OnDisk of(Path path) throws IOException {
            if (!MetadataReader.supportsUnix(path)) {
                return new OnDisk(MetadataReader.typeOf(path), -1, -1, -1, null);
            }
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,lastAccessTime", NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            return new OnDisk(MetadataReader.typeOfMode(path, mode), mode & 07777,
                    Integer.toUnsignedLong((Integer) a.get("uid")), Integer.toUnsignedLong((Integer) a.get("gid")),
                    (FileTime) a.get("lastAccessTime"));
        }
    }

    /**
     * Whether this process runs as root (uid 0), the only user who may restore ownership and
     * device nodes. Asks the JDK's {@code com.sun.security.auth.module.UnixSystem}, which calls
     * {@code getuid()}; where that module is missing (a trimmed runtime) falls back to the
     * {@code user.name} property, which the JDK also derives from {@code getuid()}. Always false on
     * Windows.
     */
    public static boolean runningAsRoot() {
        return Root.IS_ROOT;
    }

    /** Sets the owner unless it is already right; returns whether it tried to change it. */
    private static boolean restoreUser(Path path, Node node, OnDisk disk, List<String> warnings) {
        if (validId(node.uid()) && disk.uid() == node.uid()) {
            return false;
        }
        try {
            if (MetadataReader.supportsUnix(path) && validId(node.uid())) {
                Files.setAttribute(path, "unix:uid", (int) node.uid(), NOFOLLOW_LINKS);
            } else if (!node.user().isEmpty()) {
                UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
                FileOwnerAttributeView view =
                        Files.getFileAttributeView(path, FileOwnerAttributeView.class, NOFOLLOW_LINKS);
                if (view == null) {
                    throw new UnsupportedOperationException("no owners on this file system");
                }
                view.setOwner(users.lookupPrincipalByName(node.user()));
            }
        } catch (IOException | RuntimeException e) {
            warnings.add(display(path) + ": owner not set to " + describe(node.uid(), node.user()) + ": " + reason(e));
        }
        return true;
    }

    /** Sets the group unless it is already right; returns whether it tried to change it. */
    private static boolean restoreGroup(Path path, Node node, OnDisk disk, List<String> warnings) {
        if (validId(node.gid()) && disk.gid() == node.gid()) {
            return false;
        }
        try {
            if (MetadataReader.supportsUnix(path) && validId(node.gid())) {
                Files.setAttribute(path, "unix:gid", (int) node.gid(), NOFOLLOW_LINKS);
            } else if (!node.group().isEmpty()) {
                UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
                PosixFileAttributeView view =
                        Files.getFileAttributeView(path, PosixFileAttributeView.class, NOFOLLOW_LINKS);
                if (view == null) {
                    throw new UnsupportedOperationException("no groups on this file system");
                }
                view.setGroup(users.lookupPrincipalByGroupName(node.group()));
            }
        } catch (IOException | RuntimeException e) {
            warnings.add(display(path) + ": group not set to " + describe(node.gid(), node.group()) + ": " + reason(e));
        }
        return true;
    }

    private static boolean validId(long id) {
        return id >= 0 && id <= MAX_ID;
    }

    private static void restoreXattrs(Path path, List<Xattr> xattrs, List<String> warnings) {
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, NOFOLLOW_LINKS);
        if (view == null) {
            warnings.add(display(path) + ": " + xattrs.size() + " extended attributes not restored, unsupported here");
            return;
        }
        for (Xattr xattr : xattrs) {
            String name = viewName(xattr.name());
            try {
                if (name == null) {
                    throw new UnsupportedOperationException("only the user. namespace can be written");
                }
                view.write(name, ByteBuffer.wrap(xattr.value()));
            } catch (IOException | RuntimeException e) {
                warnings.add(display(path) + ": extended attribute " + xattr.name() + " not restored: " + reason(e));
            }
        }
    }

    /** The name the JDK's view expects: on Linux it lives in, and adds, the user. namespace. */
    private static String viewName(String name) {
        if (!Platform.LINUX) {
            return name;
        }
        return name.startsWith("user.") && name.length() > 5 ? name.substring(5) : null;
    }

    private static void restoreTime(Path path, NodeType actual, Node.Timestamp mtime, FileTime atime,
            List<String> warnings) {
        Instant instant;
        try {
            instant = Instant.ofEpochSecond(mtime.seconds(), mtime.nanos());
        } catch (DateTimeException | ArithmeticException e) {
            warnings.add(display(path) + ": time not restored, out of range: " + mtime);
            return;
        }
        Optional<String> problem = setModifiedTime(path, actual, instant, atime);
        if (actual != NodeType.SYMLINK) { // some platforms cannot set a symlink's times: no news
            problem.ifPresent(warnings::add);
        }
    }

    private static Optional<String> setModifiedTime(Path path, NodeType actual, Instant instant, FileTime atime) {
        boolean device = actual == NodeType.CHAR_DEVICE || actual == NodeType.BLOCK_DEVICE;
        if (device || (!Platform.WINDOWS && !jdkSetsExactly(instant))) {
            return SpecialFiles.setModifiedTime(path, instant);
        }
        try {
            if (actual == NodeType.FIFO) {
                setFifoTime(path, FileTime.from(instant), atime);
            } else {
                setTime(path, FileTime.from(instant), atime);
            }
            return Optional.empty();
        } catch (AccessDeniedException e) {
            // unreadable to its owner, so the JDK cannot open it; touch sets times by path
            return Platform.WINDOWS ? Optional.of(display(path) + ": time not restored: permission denied")
                    : SpecialFiles.setModifiedTime(path, instant);
        } catch (IOException | RuntimeException e) {
            return Optional.of(display(path) + ": time not restored: " + reason(e));
        }
    }

    // JDK 17 passes times to the kernel as nanoseconds in a long, saturating outside 1677..2262,
    // and silently sets pre-1970 times with a fraction of a second to the epoch itself.
    static boolean jdkSetsExactly(Instant time) {
        if (time.getEpochSecond() < 0 && time.getNano() != 0) {
            return false;
        }
        return !time.isBefore(MIN_JDK_TIME) && !time.isAfter(MAX_JDK_TIME);
    }

    // The JDK opens the file read-only to set its times, and that open blocks on a FIFO until a
    // writer appears. Holding the FIFO open read-write first (which never blocks on Linux and the
    // BSDs) makes that open return at once.
    private static void setFifoTime(Path path, FileTime time, FileTime atime) throws IOException {
        try (FileChannel writer = FileChannel.open(path, READ, WRITE, NOFOLLOW_LINKS)) {
            setTime(path, time, atime);
        }
    }

    // The access time is passed back as it was read (null if unknown), so it stays as it is; given
    // both times, the JDK need not look them up again first.
    private static void setTime(Path path, FileTime time, FileTime atime) throws IOException {
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW_LINKS).setTimes(time, atime, null);
    }

    private static void restoreMode(Path path, NodeType actual, int mode, List<String> warnings) {
        try {
            if (MetadataReader.supportsUnix(path)) {
                setUnixMode(path, actual, mode);
            } else if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.getFileAttributeView(path, PosixFileAttributeView.class, NOFOLLOW_LINKS)
                        .setPermissions(permissions(mode));
            } else if (actual == NodeType.FILE
                    && path.getFileSystem().supportedFileAttributeViews().contains("dos")) {
                Files.getFileAttributeView(path, DosFileAttributeView.class, NOFOLLOW_LINKS)
                        .setReadOnly((mode & 0222) == 0);
            }
        } catch (IOException | RuntimeException e) {
            warnings.add(display(path) + ": permissions not set to " + String.format("%04o", mode) + ": " + reason(e));
        }
    }

    // With NOFOLLOW_LINKS the JDK opens the file and uses fchmod, which cannot be tricked into
    // following a symlink; but opening blocks on FIFOs, acts on devices and needs read access.
    private static void setUnixMode(Path path, NodeType actual, int mode) throws IOException {
        boolean openable = actual == NodeType.FILE || actual == NodeType.DIRECTORY;
        if (openable) {
            try {
                Files.setAttribute(path, "unix:mode", mode, NOFOLLOW_LINKS);
                return;
            } catch (AccessDeniedException e) {
                // unreadable to its owner: fall through to chmod by path, which needs no access
            }
        }
        Files.setAttribute(path, "unix:mode", mode);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (0400 >> p.ordinal())) != 0) {
                permissions.add(p);
            }
        }
        return permissions;
    }

    private static String describe(long id, String name) {
        String number = id >= 0 ? Long.toString(id) : "?";
        return name.isEmpty() ? number : number + " (" + name + ")";
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String display(Path path) {
        return SpecialFiles.display(path);
    }

    /** Decided once: the answer cannot change while the process runs. */
    private static final class Root {
        static final boolean IS_ROOT = !Platform.WINDOWS && uid() == 0;

        private static long uid() {
            try {
                Class<?> unixSystem = Class.forName("com.sun.security.auth.module.UnixSystem");
                Object system = unixSystem.getConstructor().newInstance();
                return (Long) unixSystem.getMethod("getUid").invoke(system);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return "root".equals(System.getProperty("user.name")) ? 0 : -1;
            }
        }
    }
}
