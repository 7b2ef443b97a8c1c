package dev.cairn.client.fs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File names as raw bytes. On Linux and macOS a name is any byte string without {@code /} and NUL;
 * it need not be valid UTF-8, and {@link Path#toString()} loses such names. Backups must keep them
 * byte for byte, so this class reaches into the JDK's Unix path implementation, which keeps the
 * bytes the kernel returned.
 *
 * <p>That needs {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED}. Without it, on Windows, and
 * for paths of other file system providers, every method falls back to the UTF-8 encoding of the
 * string form, which is exact for names that are valid UTF-8 (and for every Windows name) and
 * lossy for the rest; {@link #isRawAccessAvailable()} tells which mode is in effect.
 */
public final class RawNames {
    /** The longest name accepted: more than any Unix file system allows, so nothing real is refused. */
    public static final int MAX_NAME_BYTES = 4096;

    private static final UnixPathAccess ACCESS = UnixPathAccess.load();

    private RawNames() {}

    /** Whether names are read and built byte-exactly on the default file system. */
    public static boolean isRawAccessAvailable() {
        return ACCESS != null && ACCESS.handles(FileSystems.getDefault().getPath(""));
    }

    /**
     * The raw bytes of the last element of a path, as the operating system gave them.
     *
     * @throws IllegalArgumentException if the path has no name element (a root or the empty path)
     */
    public static byte[] bytes(Path path) {
        Path name = path.getFileName();
        if (name == null || name.toString().isEmpty()) {
            throw new IllegalArgumentException("path has no file name: " + path);
        }
        return pathBytes(name);
    }

    /** The raw bytes of a whole path, as it would be passed to the operating system. */
    public static byte[] pathBytes(Path path) {
        if (ACCESS != null && ACCESS.handles(path)) {
            return ACCESS.bytes(path);
        }
        return path.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The child of {@code dir} whose name is exactly {@code name}.
     *
     * @throws IllegalArgumentException if the name is not {@linkplain #isValidName valid}, or (in
     *     the fallback mode) the platform would read it as anything but one plain name
     */
    public static Path resolve(Path dir, byte[] name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid file name: " + display(name));
        }
        if (ACCESS != null && ACCESS.handles(dir)) {
            return ACCESS.path(dir.getFileSystem(), join(ACCESS.bytes(dir), name));
        }
        return resolveString(dir, new String(name, StandardCharsets.UTF_8));
    }

    /**
     * A path made of exactly these bytes, not normalized: meant for symlink targets, where
     * {@code a//b/} must stay {@code a//b/}. Other operations on such a path may misbehave.
     *
     * @throws IllegalArgumentException if the bytes contain NUL
     */
    public static Path path(FileSystem fs, byte[] bytes) {
        if (indexOf(bytes, (byte) 0) >= 0) {
            throw new IllegalArgumentException("path contains NUL: " + display(bytes));
        }
        if (ACCESS != null && ACCESS.handles(fs.getPath(""))) {
            return ACCESS.path(fs, bytes.clone());
        }
        return fs.getPath(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Whether the bytes can be a directory entry's name: 1 to {@value #MAX_NAME_BYTES} bytes, not
     * {@code .} or {@code ..}, without {@code /} or NUL. Encoding is not checked.
     */
    public static boolean isValidName(byte[] name) {
        if (name == null || name.length == 0 || name.length > MAX_NAME_BYTES) {
            return false;
        }
        if (name[0] == '.' && (name.length == 1 || (name.length == 2 && name[1] == '.'))) {
            return false;
        }
        return indexOf(name, (byte) '/') < 0 && indexOf(name, (byte) 0) < 0;
    }

    /**
     * The bytes decoded as UTF-8 for people to read. Bytes that are not valid UTF-8 and control
     * characters show as {@code \xNN} (one per byte), and a backslash as {@code \\}, so different
     * names never look alike and nothing can drive a terminal.
     */
    public static String display(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            appendEscaped(sb, out.flip());
            out.clear();
            if (result.isUnderflow()) {
                return sb.toString();
            }
            for (int i = 0; i < result.length(); i++) {
                appendByte(sb, in.get());
            }
        }
    }

    private static void appendEscaped(StringBuilder sb, CharBuffer chars) {
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (c == '\\') {
                sb.append("\\\\");
            } else if (Character.isISOControl(c)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    appendByte(sb, b);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private static void appendByte(StringBuilder sb, byte b) {
        sb.append(String.format("\\x%02x", b & 0xff));
    }

    private static byte[] join(byte[] dir, byte[] name) {
        if (dir.length == 0) {
            return name.clone();
        }
        boolean slash = dir[dir.length - 1] == '/';
        byte[] joined = Arrays.copyOf(dir, dir.length + (slash ? 0 : 1) + name.length);
        if (!slash) {
            joined[dir.length] = '/';
        }
        System.arraycopy(name, 0, joined, joined.length - name.length, name.length);
        return joined;
    }

    // On Windows "a\b", "C:x" or "x:stream" would not name one child of dir: refuse them.
    private static Path resolveString(Path dir, String name) {
        Path single = dir.getFileSystem().getPath(name);
        Path fileName = single.getFileName();
        if (single.getRoot() != null || single.getNameCount() != 1 || fileName == null
                || !fileName.toString().equals(name)) {
            throw new IllegalArgumentException("not a plain file name here: " + name);
        }
        return dir.resolve(single);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The JDK's private byte-level access to Unix paths, looked up once. */
    private static final class UnixPathAccess {
        private final Class<?> pathClass;
        private final Class<?> fileSystemClass;
        private final MethodHandle asByteArray;
        private final MethodHandle constructor;

        private UnixPathAccess(Class<?> pathClass, Class<?> fileSystemClass, MethodHandle asByteArray,
                MethodHandle constructor) {
            this.pathClass = pathClass;
            this.fileSystemClass = fileSystemClass;
            this.asByteArray = asByteArray;
            this.constructor = constructor;
        }

        /** Null when the JDK is not a Unix one or the package is not opened to us. */
        static UnixPathAccess load() {
            try {
                Class<?> pathClass = Class.forName("sun.nio.fs.UnixPath");
                Method asByteArray = pathClass.getDeclaredMethod("asByteArray");
                Constructor<?> constructor = bytesConstructor(pathClass);
                asByteArray.setAccessible(true);
                constructor.setAccessible(true);
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                return new UnixPathAccess(pathClass, constructor.getParameterTypes()[0],
                        lookup.unreflect(asByteArray), lookup.unreflectConstructor(constructor));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null; // InaccessibleObjectException (a RuntimeException) when not opened
            }
        }

        // The file system parameter is declared as the abstract UnixFileSystem; the instance is
        // a subclass (LinuxFileSystem, BsdFileSystem), so match by shape rather than exact type.
        private static Constructor<?> bytesConstructor(Class<?> pathClass) throws NoSuchMethodException {
            for (Constructor<?> c : pathClass.getDeclaredConstructors()) {
                Class<?>[] params = c.getParameterTypes();
                if (params.length == 2 && params[1] == byte[].class
                        && params[0].isInstance(FileSystems.getDefault())) {
                    return c;
                }
            }
            throw new NoSuchMethodException("UnixPath(UnixFileSystem, byte[])");
        }

        boolean handles(Path path) {
            return pathClass.isInstance(path) && fileSystemClass.isInstance(path.getFileSystem());
        }

        byte[] bytes(Path path) {
            try {
                return ((byte[]) asByteArray.invoke(path)).clone();
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read the bytes of a Unix path", e);
            }
        }

        // The constructor takes the array as is, unchecked: callers pass well-formed bytes.
        Path path(FileSystem fs, byte[] bytes) {
            try {
                return (Path) constructor.invoke(fs, bytes);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot build a Unix path", e);
            }
        }
    }
}
