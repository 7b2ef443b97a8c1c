package dev.cairn.cli;

import dev.cairn.testkit.TestKdf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link Cairn} in-process with captured output, a fixed environment, and a private home
 * for its {@link Places}, so tests never touch the real home or repository.
 */
final class CliHarness {
    static final String PASSWORD = "cli-test-password";

    final Path home;
    final Map<String, String> env = new HashMap<>();
    final Places places;

    CliHarness(Path home) {
        this.home = home;
        env.put("CAIRN_PASSWORD", PASSWORD);
        this.places = new Places(Map.of("HOSTNAME", "testhost"), "Linux", home);
    }

    /** One command line's outcome. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    Result run(String... args) {
        return run(env, args);
    }

    Result run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cairn c = cairn(environment);
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = c.run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A command line object as {@link #run} uses, for tests that drive its parts directly. */
    Cairn cairn(Map<String, String> environment) {
        Cairn c = new Cairn();
        c.env = Map.copyOf(environment);
        c.clock = Clock.systemUTC();
        c.terminal = false;
        c.places = places;
        c.kdf = TestKdf.CHEAP;
        // The test JVM is shared; 'cairn agent' must not renice it.
        c.lowerPriority = false;
        return c;
    }

    /** Runs and fails the test unless the exit code is as expected. */
    Result expect(int code, String... args) {
        Result r = run(args);
        if (r.code() != code) {
            throw new AssertionError("expected exit " + code + " from " + List.of(args) + ", got " + r);
        }
        return r;
    }

    Map<String, String> envWith(String key, String value) {
        Map<String, String> m = new HashMap<>(env);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return m;
    }

    // ---- files -----------------------------------------------------------------------------------

    static void writeRandom(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                random.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Relative path of every regular file below {@code root} to its SHA-256. */
    static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    out.put(root.relativize(p).toString(), sha256(p));
                }
            }
        }
        return out;
    }

    /** Where a restore below {@code target} puts what was at absolute path {@code source}. */
    static Path restoredPath(Path target, Path source) {
        return target.resolve(source.toAbsolutePath().toString().substring(1));
    }

    // ---- JSON --------------------------------------------------------------------------------------

    /** The number after {@code "key":} in a JSON text; fails if there is none. */
    static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no number \"" + key + "\" in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    /** The string after {@code "key":} in a JSON text; fails if there is none. */
    static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no string \"" + key + "\" in " + json);
        }
        return m.group(1);
    }
}
