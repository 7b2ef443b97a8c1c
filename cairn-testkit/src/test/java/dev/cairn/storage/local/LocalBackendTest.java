package dev.cairn.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendTest {
    private static final String PACK_NAME = "ab" + "0123456789abcdef".repeat(3) + "0123456789abcd";

    @TempDir
    Path dir;

    @Test
    void put_placesFilesInDocumentedLayout() throws IOException {
        LocalBackend backend = new LocalBackend(dir);

        backend.put(Handle.config(), payload("c"));
        backend.put(Handle.of(FileKind.KEY, "k1"), payload("k"));
        backend.put(Handle.of(FileKind.PACK, PACK_NAME), payload("p"));
        backend.put(Handle.of(FileKind.PACK, "7"), payload("short"));
        backend.put(Handle.of(FileKind.INDEX, "i1"), payload("i"));
        backend.put(Handle.of(FileKind.SNAPSHOT, "s1"), payload("s"));
        backend.put(Handle.of(FileKind.LOCK, "l1"), payload("l"));

        assertThat(filesUnder(dir)).containsExactlyInAnyOrder(
                "config", "keys/k1", "data/ab/" + PACK_NAME, "data/7/7", "index/i1",
                "snapshots/s1", "locks/l1");
        assertThat(Files.readString(dir.resolve("data/ab/" + PACK_NAME))).isEqualTo("p");
    }

    @Test
    void put_failingPayload_leavesNoTempFile() throws IOException {
        LocalBackend backend = new LocalBackend(dir);
        Handle handle = Handle.of(FileKind.PACK, PACK_NAME);

        assertThatThrownBy(() -> backend.put(handle, failingPayload("connection reset")))
                .hasMessageContaining("connection reset");

        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void put_refusedOverwrite_leavesNoTempFile() throws IOException {
        LocalBackend backend = new LocalBackend(dir);
        Handle handle = Handle.of(FileKind.INDEX, "i1");
        backend.put(handle, payload("first"));

        assertThatThrownBy(() -> backend.put(handle, payload("second")))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertThat(filesUnder(dir)).containsExactly("index/i1");
    }

    @Test
    void put_payloadShorterThanPromised_storesNothing() throws IOException {
        LocalBackend backend = new LocalBackend(dir);
        Handle handle = Handle.of(FileKind.INDEX, "i1");
        Payload liar = new Payload() {
            @Override
            public long length() {
                return 10;
            }

            @Override
            public InputStream open() {
                return InputStream.nullInputStream();
            }
        };

        assertThatThrownBy(() -> backend.put(handle, liar)).hasMessageContaining("promised 10 bytes");

        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void put_diskFull_reportsPermanentErrorAndStoresNothing() throws IOException {
        LocalBackend backend = new LocalBackend(dir);
        Handle handle = Handle.of(FileKind.PACK, PACK_NAME);

        // The payload fails as a write to a full disk would, with the operating system's message.
        assertThatThrownBy(() -> backend.put(handle, failingPayload("No space left on device")))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(TransientIOException.class)
                .hasMessageContaining("disk at " + dir + " is full")
                .hasMessageContaining("nothing was stored");

        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void list_ignoresJunk() throws IOException {
        LocalBackend backend = new LocalBackend(dir);
        Handle pack = Handle.of(FileKind.PACK, PACK_NAME);
        Handle index = Handle.of(FileKind.INDEX, "i1");
        backend.put(pack, payload("pack"));
        backend.put(index, payload("index"));
        write("data/ab/.tmp-1234");
        write("data/ab/" + PACK_NAME + "~");
        write("data/ab/cd0123");          // a valid name in the wrong shard folder
        write("data/ab/Thumbs.db");
        write("data/notes.txt");          // a file where shard folders belong
        write("data/.DS_Store");
        write("index/UPPERCASE");
        write("index/.tmp-5678");
        write("index/caf\u00e9");
        Files.createDirectories(dir.resolve("index/abcd"));  // a folder with a valid name
        Files.createDirectories(dir.resolve("snapshots/sub"));
        write("snapshots/sub/ff");

        assertThat(backend.list(FileKind.PACK)).containsExactly(new FileInfo(pack, 4));
        assertThat(backend.list(FileKind.INDEX)).containsExactly(new FileInfo(index, 5));
        assertThat(backend.list(FileKind.SNAPSHOT)).isEmpty();
    }

    @Test
    void list_configIgnoresAFolderNamedConfig() throws IOException {
        Files.createDirectories(dir.resolve("config"));

        assertThat(new LocalBackend(dir).list(FileKind.CONFIG)).isEmpty();
    }

    @Test
    void list_kindFolderIsAFile_isEmpty() throws IOException {
        write("locks");

        assertThat(new LocalBackend(dir).list(FileKind.LOCK)).isEmpty();
    }

    @Test
    void missingRoot_readsFailAndListsAreEmpty() throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("nowhere"));

        assertThatThrownBy(() -> backend.readAll(Handle.config())).isInstanceOf(NoSuchFileException.class);
        assertThat(backend.list(FileKind.PACK)).isEmpty();
        assertThat(backend.list(FileKind.CONFIG)).isEmpty();
    }

    @Test
    void read_pastEnd_namesTheFile() throws IOException {
        LocalBackend backend = new LocalBackend(dir);
        Handle handle = Handle.of(FileKind.SNAPSHOT, "s1");
        backend.put(handle, payload("12345"));

        assertThatThrownBy(() -> backend.readRange(handle, 3, 5))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("snapshots/s1").toString());
    }

    @Test
    void root_isAbsolute() {
        LocalBackend backend = new LocalBackend(Path.of("relative/repo"));

        assertThat(backend.root()).isAbsolute().endsWithRaw(Path.of("relative/repo"));
        assertThat(backend.location()).isEqualTo(backend.root().toString());
    }

    @Test
    void worksOnAnotherFileSystemWithoutHardLinks() throws IOException {
        URI zip = URI.create("jar:" + dir.resolve("repo.zip").toUri());
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            LocalBackend backend = new LocalBackend(fs.getPath("/repo"));
            Handle pack = Handle.of(FileKind.PACK, PACK_NAME);

            backend.put(pack, payload("zipped"));

            assertThat(backend.readAll(pack)).asString(StandardCharsets.UTF_8).isEqualTo("zipped");
            assertThat(backend.list(FileKind.PACK)).containsExactly(new FileInfo(pack, 6));
            assertThatThrownBy(() -> backend.put(pack, payload("again")))
                    .isInstanceOf(FileAlreadyExistsException.class);
            assertThat(filesUnder(fs.getPath("/repo"))).containsExactly("data/ab/" + PACK_NAME);
        }
    }

    private void write(String relative) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "junk");
    }

    /** Every regular file under {@code root}, as a relative path with forward slashes. */
    private static List<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .toList();
        }
    }

    private static Payload payload(String text) {
        return Payload.of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A payload that yields some bytes and then fails with the given message. */
    private static Payload failingPayload(String message) {
        return new Payload() {
            @Override
            public long length() {
                return 1 << 20;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    private int served;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (served > 1000) {
                            throw new IOException(message);
                        }
                        served += len;
                        return len;
                    }
                };
            }
        };
    }
}
