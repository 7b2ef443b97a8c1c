package dev.cairn.storage.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The servers whose certificates the user accepted, like ssh's {@code known_hosts}: a text file
 * of {@code HOST:PORT FINGERPRINT} lines ({@code [v6addr]:port} for IPv6), fingerprints as 64
 * lowercase hex digits (colon pairs are accepted when read). Blank lines and lines starting with
 * {@code #} are kept as they are.
 *
 * <p>Changes rewrite the whole file through a temporary file in the same folder that is then
 * moved into place, so a crash leaves either the old or the new file, never a mix. Instances
 * are thread-safe; two processes remembering servers at the same moment may lose one of the two
 * entries (the user is asked again next time), which is harmless.
 */
public final class KnownServers {
    private final Path file;

    /** The store kept in {@code file}; neither it nor its folder need exist yet. */
    public KnownServers(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The file this store reads and writes. */
    public Path file() {
        return file;
    }

    /** Thrown when a server presents a certificate other than the one remembered for it. */
    public static final class MismatchException extends IOException {
        private final Fingerprint remembered;
        private final Fingerprint presented;

        MismatchException(String message, Fingerprint remembered, Fingerprint presented) {
            super(message);
            this.remembered = remembered;
            this.presented = presented;
        }

        public Fingerprint remembered() {
            return remembered;
        }

        public Fingerprint presented() {
            return presented;
        }
    }

    /** The fingerprint remembered for the location's server, if any. */
    public synchronized Optional<Fingerprint> lookup(ServerLocation location) throws IOException {
        String key = location.hostAndPort();
        for (Line line : read()) {
            if (key.equals(line.key())) {
                return Optional.of(line.fingerprint());
            }
        }
        return Optional.empty();
    }

    /**
     * Compares what the server presents now with what was remembered for it.
     *
     * @return true if the server is known with this fingerprint, false if it is not known
     * @throws MismatchException if it is known with another fingerprint
     */
    public synchronized boolean verify(ServerLocation location, Fingerprint presented) throws IOException {
        Optional<Fingerprint> remembered = lookup(location);
        if (remembered.isEmpty()) {
            return false;
        }
        if (!remembered.get().equals(presented)) {
            throw new MismatchException("the server " + location.hostAndPort()
                    + " presents a certificate with fingerprint " + presented + ", but " + file
                    + " remembers " + remembered.get() + " for it. Either the server's identity"
                    + " changed (its certificate was replaced) or someone is intercepting the"
                    + " connection. If the change is expected, check the new fingerprint on the"
                    + " server, then remove the line for " + location.hostAndPort() + " from " + file
                    + ".", remembered.get(), presented);
        }
        return true;
    }

    /** Remembers (or replaces) the fingerprint of the location's server. */
    public synchronized void remember(ServerLocation location, Fingerprint fingerprint) throws IOException {
        Objects.requireNonNull(fingerprint, "fingerprint");
        List<String> kept = linesWithout(location.hostAndPort());
        kept.add(location.hostAndPort() + " " + fingerprint.hex());
        write(kept);
    }

    /** Forgets the location's server; tells whether it was known. */
    public synchronized boolean forget(ServerLocation location) throws IOException {
        List<String> all = rawLines();
        List<String> kept = linesWithout(location.hostAndPort());
        if (kept.size() == all.size()) {
            return false;
        }
        write(kept);
        return true;
    }

    private record Line(String key, Fingerprint fingerprint, String raw) {}

    private List<String> linesWithout(String key) throws IOException {
        List<String> kept = new ArrayList<>();
        for (Line line : read()) {
            if (!key.equals(line.key())) {
                kept.add(line.raw());
            }
        }
        return kept;
    }

    private List<Line> read() throws IOException {
        List<String> raw = rawLines();
        List<Line> lines = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            lines.add(parse(raw.get(i), i + 1));
        }
        return lines;
    }

    private List<String> rawLines() throws IOException {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        }
    }

    private Line parse(String raw, int number) throws IOException {
        String text = raw.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return new Line(null, null, raw);
        }
        String[] fields = text.split("\\s+");
        try {
            if (fields.length != 2) {
                throw new IllegalArgumentException("expected 'HOST:PORT FINGERPRINT'");
            }
            return new Line(fields[0].toLowerCase(Locale.ROOT), Fingerprint.parse(fields[1]), raw);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ", line " + number + ": " + e.getMessage()
                    + "; fix or remove the line", e);
        }
    }

    private void write(List<String> lines) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
        try {
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
